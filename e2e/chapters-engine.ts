/**
 * Where the browser tests look for what the chapters made in Docker: the lab's own engine in the
 * isolated lab, this machine's engine in the shared lab ($RUNNER_LAB picks, as it does for the
 * runner the tests start). The learner's own objects are always in this machine's engine.
 */
import { LAB_CONTAINER } from '../runner/images/recipes.ts';
import { parseLabMode } from '../runner/targets/lab-container.ts';
import { tutorialEngine, type EngineCli } from '../runner/tutorial-docker.ts';

export const LAB_MODE = parseLabMode(process.env.RUNNER_LAB, 'RUNNER_LAB');

/** The engine the chapters' steps talk to, for a lab named `labName`. */
export function chaptersEngine(labName = LAB_CONTAINER): EngineCli {
  return tutorialEngine(LAB_MODE === 'isolated', labName);
}
