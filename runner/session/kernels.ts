/** One session kernel per target (and workspace), started on its first step. */
import type { Target } from '../targets/target.ts';
import { Kernel } from './kernel.ts';
import type { SessionFiles } from './session-files.ts';

const kernels = new WeakMap<Target, Map<string, Kernel>>();

export function kernelFor(target: Target, files: SessionFiles, root: string): Kernel {
  let byFolder = kernels.get(target);
  if (!byFolder) kernels.set(target, (byFolder = new Map()));
  let kernel = byFolder.get(files.stateDir);
  if (!kernel) {
    kernel = new Kernel({
      open: () => target.openKernel(files.session, root),
      stateDir: files.stateDir,
      root,
      replDriver: files.replDriver,
      owner: target.fileOwner,
      killOrphaned: (runId, pids, groups) => target.killProcesses(runId, pids, groups),
    });
    byFolder.set(files.stateDir, kernel);
  }
  return kernel;
}

/** Ends every kernel of a target (its processes exit once their stdin closes). */
export function closeKernels(target: Target): void {
  for (const kernel of kernels.get(target)?.values() ?? []) kernel.close();
  kernels.delete(target);
}
