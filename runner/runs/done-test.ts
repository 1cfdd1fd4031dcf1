/**
 * A step's `done` test (an attribute in the content): a command run in the step's folder on the
 * target before the step; exit 0 means the step's effect is there already, so it is not run again.
 */
import type { Step } from '../../contract/step-schema.ts';
import type { Target } from '../targets/target.ts';
import type { Workspace } from '../workspace.ts';

export async function alreadyDone(step: Step, target: Target, workspace: Workspace, runId: string): Promise<boolean> {
  const dir = workspace.resolve(step.cwd ?? '.');
  const child = target.spawn(['bash', '-c', 'cd -- "$1" 2>/dev/null && eval "$2"', 'done-test', dir, step.done!], {
    cwd: workspace.root,
    env: target.baseEnv(workspace.home),
    runId: `${runId}-done`,
  });
  child.stdout?.resume();
  child.stderr?.resume();
  const code = await new Promise<number | null>((resolve) => {
    child.once('close', resolve);
    child.once('error', () => resolve(-1));
  });
  return code === 0;
}
