/**
 * What the runner core (app.ts) needs from Docker, in one place: the engine's status, who holds a
 * port, the image profile, provisioning, cleanup, and the label shim for the host target.
 */
import path from 'node:path';
import type { Workspace } from './workspace.ts';
import { describeCleanup, removeTutorialObjects } from './engine/cleanup.ts';
import { installDockerShim } from './engine/docker-shim.ts';
import type { ContainerInfo } from '../contract/protocol.ts';
import { engineStatus } from './engine/engine-status.ts';
import { docker } from './engine/engine.ts';
import { labelFilter, TUTORIAL_LABEL } from './engine/labels.ts';
import { containerOnPort } from './engine/port-owner.ts';
import { resolveProfile, type ProfileChoice } from './images/profile.ts';

export { engineStatus, type ProfileChoice };

/** Running containers that steps created (they carry the shim's label); the lab is not one of them. */
export async function tutorialContainers(): Promise<ContainerInfo[]> {
  const lines = await docker(['container', 'ls', '--filter', labelFilter(TUTORIAL_LABEL), '--format', '{{json .}}']);
  return lines
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { Names: string; Image: string; Ports: string })
    .map(({ Names, Image, Ports }) => ({
      name: Names,
      image: Image,
      ports: Ports,
      hostPorts: [...new Set([...Ports.matchAll(/:(\d+)->/g)].map((m) => Number(m[1])))],
    }));
}

/** Stops a container, but only one of the tutorial's: the page may never stop the learner's own. */
export async function stopTutorialContainer(name: string): Promise<void> {
  const label = await docker([
    'container',
    'inspect',
    '--format',
    `{{index .Config.Labels "${TUTORIAL_LABEL}"}}`,
    name,
  ]).catch(() => '');
  if (label !== 'true') throw new Error(`no running container of the tutorial is called ${name}`);
  await docker(['container', 'stop', name]);
}

/** Online (official images) or offline (stand-ins), decided once at start: probe or TUTORIAL_PROFILE. */
export function chooseImageProfile(): Promise<ProfileChoice> {
  return resolveProfile();
}

/** "the container weweb01", or undefined when no container publishes the port (or Docker is down). */
export async function portOwner(port: number): Promise<string | undefined> {
  const name = await containerOnPort(port).catch(() => undefined);
  return name ? `the container ${name} (docker container stop ${name})` : undefined;
}

export async function removeTutorialDockerObjects(): Promise<string> {
  return describeCleanup(await removeTutorialObjects());
}

export async function provisionImages(
  profile: ProfileChoice['profile'],
  onProgress: (message: string, done: number, total: number) => void,
): Promise<void> {
  const { provision } = await import('./images/provision.ts'); // rare, and heavy: loaded on demand
  await provision({ profile, onProgress: (e) => onProgress(`${e.image}: ${e.message}`, e.done, e.total) });
}

/** The folder to put first on PATH on the host target, holding the label shim as `docker`. */
export function hostShimDir(workspace: Workspace): string {
  const dir = workspace.privatePath('shims'); // outside the workspace: no step can plant a link there
  installDockerShim(dir);
  return path.resolve(dir);
}
