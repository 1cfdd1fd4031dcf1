/**
 * Turns a root filesystem folder into an image: `tar -C dir -c . | docker import --change ... -`,
 * counting the bytes on the way for progress.
 */
import { say } from '../../contract/messages.ts';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import type { StepProgress } from './debootstrap.ts';

export interface ImportOptions {
  /** Dockerfile instructions for the image config (ENV, CMD, LABEL ...), see image-config.ts. */
  changes: string[];
  signal?: AbortSignal;
  onProgress?: (progress: StepProgress) => void;
}

/** Imports `rootfs` as `image`; resolves to the new image id. */
export async function importRootfs(rootfs: string, image: string, options: ImportOptions): Promise<string> {
  const total = await folderBytes(rootfs, options.signal);
  const tar = execa('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], {
    cancelSignal: options.signal,
    buffer: false,
  });
  const changeArgs = options.changes.flatMap((change) => ['--change', change]);
  const load = execa('docker', ['import', ...changeArgs, '-', image], {
    cancelSignal: options.signal,
    stdin: 'pipe',
    reject: false,
  });
  let done = 0;
  let lastReport = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      // About one report per percent is plenty for a progress bar.
      if (done - lastReport > total / 100) {
        lastReport = done;
        options.onProgress?.({
          done: Math.min(done, total - 1),
          total,
          message: say('image.importing', { done: String(mib(done)), total: String(mib(total)) }),
        });
      }
      callback(null, chunk);
    },
  });
  // A broken pipe (docker import gave up) shows up as the failure of tar or docker below.
  const piped = pipeline(tar.stdout, counter, load.stdin).catch(() => {});
  const [tarResult, loadResult] = await Promise.allSettled([tar, load]);
  await piped;
  if (loadResult.status === 'rejected') throw loadResult.reason;
  if (loadResult.value.failed) {
    throw new Error(
      `docker import of ${rootfs} as ${image} failed: ${loadResult.value.stderr.trim() || loadResult.value.shortMessage}`,
    );
  }
  if (tarResult.status === 'rejected') throw new Error(`tar of ${rootfs} failed: ${String(tarResult.reason)}`);
  options.onProgress?.({ done: total, total, message: say('image.imported', { total: String(mib(total)) }) });
  return loadResult.value.stdout.trim();
}

async function folderBytes(dir: string, signal?: AbortSignal): Promise<number> {
  const { stdout } = await execa('du', ['-sb', dir], { cancelSignal: signal });
  return Math.max(1, Number.parseInt(stdout, 10) || 1);
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
