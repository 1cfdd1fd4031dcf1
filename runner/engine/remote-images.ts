/**
 * Images for a lab on a remote engine: the lab's image (and the stand-ins its image store is filled
 * from) must be on *that* engine. When one is missing there but this machine's own engine has it,
 * it is copied across (`docker -H <local> save | docker load`, progress every 50 MB), which takes
 * seconds where building it on the remote engine takes minutes and needs its network. When the
 * local engine lacks it too, the caller builds it there as for any engine (provision.ts).
 *
 * The local engine is $RUNNER_LOCAL_DOCKER_HOST, or the default socket.
 */
import { spawn } from 'node:child_process';
import { say, type Said } from '../../contract/messages.ts';
import { docker, DockerCommandError, isNoSuchObject } from './engine.ts';

export const LOCAL_ENGINE = () => process.env.RUNNER_LOCAL_DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';

/** The image's id on the engine `host` (undefined: this runner's engine), or '' when absent there. */
async function imageId(image: string, host?: string): Promise<string> {
  const args = [...(host ? ['-H', host] : []), 'image', 'inspect', '--format', '{{.Id}}', image];
  return docker(args).catch((error: unknown) => {
    if (isNoSuchObject(error)) return '';
    if (host && error instanceof DockerCommandError) return ''; // no local engine: nothing to copy from
    throw error;
  });
}

/**
 * Copies `image` from the local engine when the remote one lacks it. Returns what happened:
 * `present` (nothing to do), `copied`, or `absent` (neither has it; build it there).
 */
export async function copyImageToRemote(
  image: string,
  remote: string,
  onProgress: (message: Said) => void,
): Promise<'present' | 'copied' | 'absent'> {
  if (await imageId(image)) return 'present';
  const local = LOCAL_ENGINE();
  if (!(await imageId(image, local))) return 'absent';
  onProgress(say('status.image-to-remote', { image, from: local, to: remote }));
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['-H', local, 'save', image], { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn('docker', ['load', '-q'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    let reported = 0;
    save.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes - reported >= 50 * 1024 * 1024) {
        reported = bytes;
        onProgress(say('status.image-to-remote-progress', { image, mb: Math.round(bytes / 1024 / 1024) }));
      }
    });
    save.stdout.pipe(load.stdin);
    save.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    load.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    let pending = 2;
    let failed = false;
    const ended = (what: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new Error(`copying ${image} to the engine at ${remote}: ${what} exited with ${code}: ${errors.trim()}`));
      }
      if (--pending === 0 && !failed) resolve();
    };
    save.once('close', ended('docker save'));
    load.once('close', ended('docker load'));
    save.once('error', reject);
    load.once('error', reject);
  });
  onProgress(say('status.image-to-remote-progress', { image, mb: Math.round(bytes / 1024 / 1024) }));
  return 'copied';
}

/** copyImageToRemote for each of `images`, one after the other (they share the link). */
export async function copyImagesToRemote(images: string[], remote: string, onProgress: (message: Said) => void) {
  for (const image of images) await copyImageToRemote(image, remote, onProgress);
}
