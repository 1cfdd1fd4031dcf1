/**
 * The lab container's life on the Docker engine: brought up (its image checked, and provisioned
 * when missing or outdated; the container started, or made again when it is stale), stopped and
 * removed. The target that runs steps in it is lab.ts; what the container is made of, lab-container.ts.
 */
import { say, SaidError, type Said } from '../../contract/messages.ts';
import { docker, DockerCommandError, isNoSuchObject } from '../engine/engine.ts';
import { LAB_LABEL } from '../engine/labels.ts';
import type { Profile } from '../images/profile.ts';
import type { ProvisionEvent } from '../images/provision.ts';
import { ALL_RECIPES, LAB_CONTAINER } from '../images/recipes.ts';
import {
  ENGINE_VOLUME_LABELS,
  engineVolume,
  explainRunFailure,
  labImage,
  labRunArgs,
  staleReason,
  waitForLabEngine,
  workspaceVolume,
  type LabMode,
  type LabSpec,
  type LabState,
} from './lab-container.ts';

export interface LabIdentity {
  container: string;
  mode: LabMode;
  /** An isolated lab on a Docker network of its own, named like the container. */
  network?: boolean;
  /** On a remote engine: its endpoint; the lab image is copied there from this machine's engine when missing. */
  remote?: string;
}

/**
 * Makes sure the lab container runs from the current image with the current spec. `spec` is asked
 * for once the image is there (it may create the image store's volume).
 */
export async function bringUpLab(
  lab: LabIdentity & { profile: Profile; cacheDir?: string },
  spec: () => Promise<LabSpec>,
  onProgress: (message: Said) => void,
): Promise<void> {
  // Loaded on demand: building images is rare, and its modules weigh on the runner's memory.
  const { decideAction, inspectLocalImage, provision } = await import('../images/provision.ts');
  const image = labImage(lab.mode);
  const recipe = ALL_RECIPES.find((r) => r.image === image)!;
  if (lab.remote) {
    // Copied from this machine's engine when it has it; else built there below, as on any engine.
    const { copyImageToRemote } = await import('../engine/remote-images.ts');
    await copyImageToRemote(image, lab.remote, onProgress);
  }
  const { action, why } = decideAction(recipe, await inspectLocalImage(image), lab.profile);
  if (action !== 'keep') {
    onProgress(say('status.lab-image', { image, reason: why }));
    await provision({
      profile: lab.profile,
      images: [image],
      cacheDir: lab.cacheDir,
      onProgress: everyTenPercent((e) =>
        onProgress(say('status.image-step', { image: e.image, what: e.msg ?? e.message, percent: e.done })),
      ),
    });
  }
  const imageId = await docker(['image', 'inspect', '--format', '{{.Id}}', image]);
  const wanted = await spec();
  const state = await labContainerState(lab.container);
  if (state) {
    if (state.labels[LAB_LABEL] !== 'true') {
      throw new SaidError(say('lab.foreign-container', { name: lab.container }));
    }
    const stale = staleReason(state, imageId, wanted);
    if (!stale) {
      if (!state.running) {
        onProgress(say('status.lab-starting', { name: lab.container }));
        await docker(['start', lab.container]);
      }
      if (lab.mode === 'isolated') await waitForLabEngine(lab.container);
      return;
    }
    onProgress(say('status.lab-recreating', { name: lab.container, why: stale }));
    await docker(['rm', '-f', lab.container]);
  }
  onProgress(say('status.lab-starting-from', { name: lab.container, image }));
  if (lab.network && lab.mode === 'isolated') {
    const exists = await docker(['network', 'inspect', '--format', '{{.Name}}', lab.container]).catch(() => '');
    if (!exists) await docker(['network', 'create', '--label', `${LAB_LABEL}=true`, lab.container]);
  }
  if (lab.mode === 'isolated')
    await docker([
      'volume',
      'create',
      ...ENGINE_VOLUME_LABELS.flatMap((l) => ['--label', l]),
      engineVolume(lab.container),
    ]);
  if (wanted.workspaceVolume)
    await docker(['volume', 'create', ...ENGINE_VOLUME_LABELS.flatMap((l) => ['--label', l]), wanted.workspaceVolume]);
  try {
    await docker(['run', '-d', ...labRunArgs(wanted)]);
  } catch (error) {
    const hint = error instanceof DockerCommandError ? explainRunFailure(error.stderr, wanted) : undefined;
    if (!hint) throw error;
    await docker(['rm', '-f', lab.container]).catch(() => {}); // created, but could not start
    throw new Error(hint, { cause: error });
  }
  if (lab.mode === 'isolated') await waitForLabEngine(lab.container);
}

/**
 * Removes the lab and, for an isolated one, its engine's state: everything a learner did in
 * Docker goes with it, and nothing else (the host's containers are not in that engine).
 */
export async function removeLab(container: string, mode: LabMode, network: boolean): Promise<void> {
  await docker(['rm', '-f', '-v', container]).catch((error: unknown) => {
    if (!isNoSuchObject(error)) throw error;
  });
  // The workspace volume exists only for a lab on a remote engine; absent is fine.
  const volumes = mode === 'isolated' ? [engineVolume(container), workspaceVolume(container)] : [];
  for (const volume of volumes)
    await docker(['volume', 'rm', volume]).catch((error: unknown) => {
      if (!isNoSuchObject(error)) throw error;
    });
  if (network) await removeNetwork(container);
}

/** Stops a lab (kept with its engine's state; the next bring-up starts it again). */
export async function stopLabContainer(container: string): Promise<void> {
  await docker(['stop', '--time', '2', container]).catch((error: unknown) => {
    if (!isNoSuchObject(error)) throw error;
  });
}

/**
 * A lab's network, once the lab is gone. The engine may still be detaching the removed container
 * for a moment (seen with 16 labs removed at once), so a refusal is tried again; absent is fine.
 */
async function removeNetwork(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await docker(['network', 'rm', name]);
      return;
    } catch (error) {
      if (isNoSuchObject(error)) return;
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Stops the lab container (kept, so the next ensureReady only starts it); no-op when absent. */
export async function stopLab(): Promise<void> {
  try {
    await docker(['stop', '--time', '2', LAB_CONTAINER]);
  } catch (error) {
    if (!isNoSuchObject(error)) throw error;
  }
}

export async function labContainerState(name = LAB_CONTAINER): Promise<LabState | undefined> {
  try {
    const json = await docker([
      'container',
      'inspect',
      '--format',
      '{"running":{{json .State.Running}},"imageId":{{json .Image}},"labels":{{json .Config.Labels}},"mounts":{{json .Mounts}},"ports":{{json .HostConfig.PortBindings}},"init":{{json .HostConfig.Init}}}',
      name,
    ]);
    const state = JSON.parse(json) as LabState;
    return { ...state, labels: state.labels ?? {} };
  } catch (error) {
    if (isNoSuchObject(error)) return undefined;
    throw error;
  }
}

/** Passes on one event per phase and tenth, not every debootstrap line: these end up in a step's output. */
function everyTenPercent(report: (event: ProvisionEvent) => void): (event: ProvisionEvent) => void {
  let last = '';
  return (event) => {
    const key = `${event.phase} ${Math.floor(event.done / 10)}`;
    if (key !== last) report(event);
    last = key;
  };
}
