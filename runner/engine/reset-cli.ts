/** `node runner/engine/reset-cli.ts`: removes the tutorial's labelled containers, networks, volumes and images (CI clean-up). */
import { describeCleanup, removeTutorialObjects } from './cleanup.ts';

console.log(describeCleanup(await removeTutorialObjects()));
