/**
 * Makes sure the images the tutorial needs exist: `python:3.13` and `nginx:latest` (official ones
 * online, Debian stand-ins offline) and the lab image. An image that is already there and current
 * (checked by its labels) is kept, so a second provision takes about a second.
 */
import { english, say, sayBoth, type Message, type Said } from '../../contract/messages.ts';
import path from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import { hostDebianMirror } from './apt-mirror.ts';
import type { StepProgress } from './debootstrap.ts';
import { docker, isNoSuchObject } from '../engine/engine.ts';
import { BUILT_LABEL, LAB_LABEL, MIRROR_LABEL, PROFILE_LABEL, RECIPE_LABEL, STANDIN_LABEL } from '../engine/labels.ts';
import { buildOffline, prefetchPackages } from './offline-build.ts';
import { buildWithDockerfile, pullImage } from './online-build.ts';
import type { Profile } from './profile.ts';
import { ALL_RECIPES, DEBIAN_SUITE, defaultImages, recipeHash, type ImageRecipe } from './recipes.ts';

/** The stretch of an offline image's bar taken by the shared package download. */
const PREFETCH_SHARE = 10;

export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, '.cache/debootstrap');

/** `build` is a Dockerfile build (online lab image); the offline path goes debootstrap → customise → import. */
export type ProvisionPhase = 'check' | 'pull' | 'build' | 'debootstrap' | 'customise' | 'import' | 'done';

export interface ProvisionEvent {
  image: string;
  phase: ProvisionPhase;
  /** Progress of this image over all its phases, out of `total` (always 100: a percentage). */
  done: number;
  total: number;
  /** English, as `npm run provision` prints it. */
  message: string;
  /** The same as a code, for the page's language (contract/messages.ts). */
  msg?: Message;
}

export interface ProvisionOptions {
  profile: Profile;
  /** Image names to provision (default: the stand-ins and the lab image in use, see defaultImages). */
  images?: string[];
  onProgress?: (event: ProvisionEvent) => void;
  signal?: AbortSignal;
  /** Offline build cache (downloaded .debs, root filesystems in the making); default `<repo>/.cache/debootstrap`. */
  cacheDir?: string;
  /** Debian mirror for offline builds; default: this machine's apt mirror (see apt-mirror.ts). */
  mirror?: string;
}

export type Action = 'keep' | 'pull' | 'build-online' | 'build-offline';

export interface ImageOutcome {
  image: string;
  action: Action;
  /** Why this action, e.g. "stand-in is current" or "missing". */
  reason: string;
  seconds: number;
}

/** What the engine has under an image's name: its labels, and whether it came from a registry. */
export interface LocalImage {
  id: string;
  labels: Record<string, string>;
  /** Pulled images have repo digests; imported or locally built ones have none. */
  fromRegistry: boolean;
}

/**
 * What to do with one image, given what is there under its name (undefined: nothing) and the
 * profile. Online, official images are pulled unless a pulled one is present; a stand-in or any
 * other local build under that name is replaced. Offline, a pulled image is kept (it is the real
 * thing); anything else is rebuilt unless it is our stand-in with the current recipe. The lab
 * image is kept whenever its recipe is current, however it was built.
 */
export function decideAction(
  recipe: ImageRecipe,
  local: LocalImage | undefined,
  profile: Profile,
): { action: Action; reason: string; why: Message } {
  const decided = (action: Action, why: Message) => ({ action, reason: english(why), why });
  const current = local?.labels[RECIPE_LABEL] === recipeHash(recipe);
  if (recipe.role === 'lab') {
    if (current) return decided('keep', say('image.reason-lab-current'));
    return decided(
      profile === 'online' ? 'build-online' : 'build-offline',
      local ? say('image.reason-lab-changed') : say('image.reason-missing'),
    );
  }
  if (local?.fromRegistry) return decided('keep', say('image.reason-official'));
  const what = local?.labels[STANDIN_LABEL] === 'true' ? say('image.what-standin') : say('image.what-local');
  if (profile === 'online')
    return decided('pull', local ? say('image.reason-replace-official', { what }) : say('image.reason-missing'));
  if (current) return decided('keep', say('image.reason-standin'));
  return decided('build-offline', local ? say('image.reason-replace-standin', { what }) : say('image.reason-missing'));
}

/**
 * Checks every image first, then pulls or builds what is needed, all at once: on 2 cores three
 * debootstraps side by side take about 70 s where one after the other take 110 s (dpkg waits on
 * the disk as much as on the CPU). Several offline builds first download their packages together.
 * The first failure cancels the others.
 */
export async function provision(options: ProvisionOptions): Promise<ImageOutcome[]> {
  const wanted = options.images ?? defaultImages();
  const recipes = wanted.map((image) => {
    const recipe = ALL_RECIPES.find((r) => r.image === image);
    if (!recipe)
      throw new Error(`provision: unknown image "${image}"; known: ${ALL_RECIPES.map((r) => r.image).join(', ')}`);
    return recipe;
  });
  const plans: { recipe: ImageRecipe; action: Action; reason: string; why: Message; previous?: string }[] = [];
  for (const recipe of recipes) {
    emitter(options, recipe)('check', 0, say('image.checking'));
    const local = await inspectLocalImage(recipe.image, options.signal);
    plans.push({ recipe, previous: local?.id, ...decideAction(recipe, local, options.profile) });
  }
  const offline = plans.filter((p) => p.action === 'build-offline');
  const mirror = offline.length ? (options.mirror ?? hostDebianMirror()) : '';
  if (offline.length > 1) {
    await prefetchPackages(
      offline.map((p) => p.recipe),
      {
        mirror,
        cacheDir: options.cacheDir ?? DEFAULT_CACHE_DIR,
        signal: options.signal,
        onProgress: (p) => {
          for (const plan of offline)
            emitter(options, plan.recipe)(
              'debootstrap',
              (PREFETCH_SHARE * p.done) / p.total,
              say('image.downloading', { count: offline.length }),
            );
        },
      },
    );
  }

  const failFast = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failFast.signal]) : failFast.signal;
  const settled = await Promise.allSettled(
    plans.map(async (plan) => {
      const started = Date.now();
      try {
        await carryOut(plan.recipe, plan.action, { ...options, signal, mirror });
        if (plan.action !== 'keep' && plan.previous) await removeIfUntagged(plan.previous);
      } catch (error) {
        failFast.abort();
        throw error;
      }
      const seconds = (Date.now() - started) / 1000;
      const message =
        plan.action === 'keep'
          ? say('image.kept', { reason: plan.why })
          : say('image.done', { action: describeAction(plan.action), seconds: seconds.toFixed(0) });
      emitter(options, plan.recipe)('done', 100, message);
      return { image: plan.recipe.image, action: plan.action, reason: plan.reason, seconds };
    }),
  );
  // The first real failure, not the cancellations it caused in the others.
  const failures = settled.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
  const cause = failures.find((e) => !(e instanceof Error && /cancel/i.test(e.message))) ?? failures[0];
  if (failures.length) throw cause;
  return settled.map((r) => (r as PromiseFulfilledResult<ImageOutcome>).value);
}

async function carryOut(
  recipe: ImageRecipe,
  action: Action,
  options: ProvisionOptions & { signal: AbortSignal; mirror: string },
): Promise<void> {
  const emit = emitter(options, recipe);
  // Each phase fills its own stretch of the image's 0-100 bar.
  const within = (phase: ProvisionPhase, from: number, to: number) => (p: StepProgress) =>
    emit(phase, from + ((to - from) * p.done) / Math.max(1, p.total), p.message);
  const { signal, mirror } = options;
  if (action === 'pull') {
    await pullImage(recipe.image, { signal, onProgress: within('pull', 0, 99) });
  } else if (action === 'build-online') {
    const labels = labelsFor(
      recipe,
      'online',
      `${DEBIAN_SUITE} from the debian:${DEBIAN_SUITE} image's own apt sources`,
    );
    await buildWithDockerfile(recipe, labels, { signal, onProgress: within('build', 0, 99) });
  } else if (action === 'build-offline') {
    const ranges = { debootstrap: [PREFETCH_SHARE, 70], customise: [70, 75], import: [75, 99] } as const;
    await buildOffline(recipe, {
      mirror,
      cacheDir: options.cacheDir ?? DEFAULT_CACHE_DIR,
      labels: labelsFor(recipe, 'offline', mirror),
      signal,
      onProgress: (phase, p) => within(phase, ranges[phase][0], ranges[phase][1])(p),
    });
  }
}

function emitter(options: ProvisionOptions, recipe: ImageRecipe) {
  return (phase: ProvisionPhase, done: number, said: Said) =>
    options.onProgress?.({ image: recipe.image, phase, done: Math.floor(done), total: 100, ...sayBoth(said) });
}

/**
 * A rebuilt or re-pulled image leaves its predecessor without a name; remove it so rebuilds do not
 * pile up. One still used by a container (or still tagged elsewhere) stays.
 */
async function removeIfUntagged(id: string): Promise<void> {
  const tags = await docker(['image', 'inspect', '--format', '{{len .RepoTags}}', id]).catch(() => 'gone');
  if (tags === '0') await docker(['image', 'rm', id]).catch(() => {});
}

/** What is there under `image`, or undefined when there is no such image. */
export async function inspectLocalImage(image: string, signal?: AbortSignal): Promise<LocalImage | undefined> {
  try {
    const json = await docker(
      ['image', 'inspect', '--format', '{{json .Id}}\t{{json .Config.Labels}}\t{{json .RepoDigests}}', image],
      { signal },
    );
    const [id, labels, digests] = json.split('\t').map((part) => JSON.parse(part) as unknown);
    return {
      id: id as string,
      labels: (labels as Record<string, string> | null) ?? {},
      fromRegistry: ((digests as string[] | null) ?? []).length > 0,
    };
  } catch (error) {
    if (isNoSuchObject(error)) return undefined;
    throw error;
  }
}

function labelsFor(recipe: ImageRecipe, profile: Profile, mirror: string): Record<string, string> {
  return {
    [recipe.role === 'lab' ? LAB_LABEL : STANDIN_LABEL]: 'true',
    [RECIPE_LABEL]: recipeHash(recipe),
    [MIRROR_LABEL]: mirror,
    [BUILT_LABEL]: new Date().toISOString().slice(0, 10),
    [PROFILE_LABEL]: profile,
  };
}

function describeAction(action: Exclude<Action, 'keep'>): Message {
  return say(
    (
      {
        pull: 'image.action-pull',
        'build-online': 'image.action-build-online',
        'build-offline': 'image.action-build-offline',
      } as const
    )[action],
  );
}
