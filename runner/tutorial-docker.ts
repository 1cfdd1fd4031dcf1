/**
 * What the runner core (app.ts) needs from Docker, in one place: the engine's status, who holds a
 * port, the image profile, provisioning, cleanup, and the label shim for the host target.
 */
import { say, type Message, type Said } from '../contract/messages.ts';
import path from 'node:path';
import type { Workspace } from './workspace.ts';
import { describeCleanup, removeTutorialObjects } from './engine/cleanup.ts';
import { installDockerShim } from './engine/docker-shim.ts';
import type { ContainerInfo } from '../contract/protocol.ts';
import { engineStatus } from './engine/engine-status.ts';
import { docker } from './engine/engine.ts';
import { InFlight } from './engine/in-flight.ts';
import { labEngineCli, listeningPorts, type EngineCli } from './engine/lab-engine.ts';
import { ALL_RECIPES, LAB_CONTAINER } from './images/recipes.ts';
import { labelFilter, TUTORIAL_LABEL } from './engine/labels.ts';
import { containerOnPort } from './engine/port-owner.ts';
import { resolveProfile, type ProfileChoice } from './images/profile.ts';

export { engineStatus, type EngineCli, type ProfileChoice };

/** The engine the tutorial's steps talk to: the host's, or the isolated lab's own. */
export function tutorialEngine(isolatedLab: boolean, container = LAB_CONTAINER): EngineCli {
  return isolatedLab ? labEngineCli(container) : docker;
}

/**
 * Whether something in the isolated lab listens on `port`. A probe of 127.0.0.1 cannot tell: the
 * lab's published ports always accept a connection on the host side, even with no one behind them.
 */
export async function labListens(port: number, container = LAB_CONTAINER): Promise<boolean> {
  const tables = await docker(['exec', container, 'cat', '/proc/net/tcp', '/proc/net/tcp6']).catch(() => '');
  return listeningPorts(tables).has(port);
}

/** Running containers that steps created (they carry the shim's label); the lab is not one of them. */
export async function tutorialContainers(cli: EngineCli = docker): Promise<ContainerInfo[]> {
  const lines = await cli(['container', 'ls', '--filter', labelFilter(TUTORIAL_LABEL), '--format', '{{json .}}']);
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
export async function stopTutorialContainer(name: string, cli: EngineCli = docker): Promise<void> {
  const label = await cli([
    'container',
    'inspect',
    '--format',
    `{{index .Config.Labels "${TUTORIAL_LABEL}"}}`,
    name,
  ]).catch(() => '');
  if (label !== 'true') throw new Error(`no running container of the tutorial is called ${name}`);
  await cli(['container', 'stop', name]);
}

/** Online (official images) or offline (stand-ins), decided once at start: probe or TUTORIAL_PROFILE. */
export function chooseImageProfile(): Promise<ProfileChoice> {
  return resolveProfile();
}

/** "the container weweb01", or undefined when no container publishes the port (or Docker is down). */
export async function portOwner(port: number, cli: EngineCli = docker): Promise<Message | undefined> {
  const name = await containerOnPort(port, undefined, cli).catch(() => undefined);
  return name ? say('preflight.holder-container', { name }) : undefined;
}

export async function removeTutorialDockerObjects(): Promise<string> {
  return describeCleanup(await removeTutorialObjects());
}

const provisioning = new InFlight<void, { what: Said; image: string; done: number; total: number }>();

/** Runners in one process (a classroom) asking at once share one provisioning. */
export async function provisionImages(
  profile: ProfileChoice['profile'],
  onProgress: (what: Said, done: number, total: number, image: string) => void,
  images?: string[],
): Promise<void> {
  const key = JSON.stringify([profile, images ?? null]);
  await provisioning.run(
    key,
    (event) => onProgress(event.what, event.done, event.total, event.image),
    async (progress) => {
      const { provision } = await import('./images/provision.ts'); // rare, and heavy: loaded on demand
      await provision({
        profile,
        images,
        onProgress: (e) =>
          progress({
            what: e.msg ?? e.message,
            image: e.image,
            done: e.done,
            total: e.total,
          }),
      });
    },
  );
}

/** The images the chapters name (official ones online, stand-ins offline), without the lab images. */
export function chapterImages(): string[] {
  return ALL_RECIPES.filter((r) => r.role === 'standin').map((r) => r.image);
}

/** The folder to put first on PATH on the host target, holding the label shim as `docker`. */
export function hostShimDir(workspace: Workspace): string {
  const dir = workspace.privatePath('shims'); // outside the workspace: no step can plant a link there
  installDockerShim(dir);
  return path.resolve(dir);
}
