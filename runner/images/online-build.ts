/**
 * Online: pulls an official image, or builds a recipe with a Dockerfile FROM debian:trixie, with
 * progress read from the docker CLI's plain output.
 */
import { rmSync } from 'node:fs';
import { execa } from 'execa';
import type { StepProgress } from './debootstrap.ts';
import { stageBuildContext } from './dockerfile.ts';
import type { ImageRecipe } from './recipes.ts';

export interface OnlineOptions {
  signal?: AbortSignal;
  onProgress?: (progress: StepProgress) => void;
}

export async function pullImage(image: string, options: OnlineOptions = {}): Promise<void> {
  await runWithProgress(['pull', image], `pull ${image}`, pullProgress(), options);
}

export interface BuildOptions extends OnlineOptions {
  /** Tag to build (default: the recipe's image). */
  tag?: string;
  /** A local Debian trixie image to build FROM instead of pulling debian:trixie (tests do this offline). */
  base?: string;
}

export async function buildWithDockerfile(
  recipe: ImageRecipe,
  labels: Record<string, string>,
  options: BuildOptions = {},
): Promise<void> {
  const context = stageBuildContext(recipe, labels, options.base);
  const tag = options.tag ?? recipe.image;
  try {
    // --pull keeps debian:trixie fresh online; a given local base must not be looked up remotely.
    const pull = options.base ? [] : ['--pull'];
    await runWithProgress(['build', ...pull, '-t', tag, context], `build ${tag}`, buildProgress(), options);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

async function runWithProgress(
  args: string[],
  what: string,
  track: (line: string) => StepProgress | undefined,
  options: OnlineOptions,
): Promise<void> {
  // The classic builder keeps its "Step n/m" lines; BuildKit is asked for plain lines too.
  const run = execa('docker', args, {
    cancelSignal: options.signal,
    all: true,
    reject: false,
    env: { BUILDKIT_PROGRESS: 'plain' },
  });
  for await (const line of run.iterable({ from: 'all' })) {
    const progress = track(line);
    if (progress) options.onProgress?.(progress);
  }
  const result = await run;
  if (!result.failed) return;
  if (result.code === 'ENOENT') throw new Error('The docker CLI is not installed or not on PATH.');
  const tail = result.all.trim().split('\n').slice(-15).join('\n');
  throw new Error(`docker ${what} failed (exit ${result.exitCode ?? result.signal}):\n${tail}`);
}

/** `docker pull` prints `<layer>: Pulling fs layer` for each layer, then `<layer>: Pull complete`. */
export function pullProgress(): (line: string) => StepProgress | undefined {
  const layers = new Set<string>();
  const complete = new Set<string>();
  return (line) => {
    const match = /^(\w{12}): (Pulling fs layer|Already exists|Pull complete|Downloading|Extracting)/.exec(line);
    if (!match) return undefined;
    const [, layer = '', state = ''] = match;
    layers.add(layer);
    if (state === 'Pull complete' || state === 'Already exists') complete.add(layer);
    return { done: complete.size, total: layers.size + 1, message: `${state.toLowerCase()} ${layer}` };
  };
}

/** Classic builder: `Step 3/9 : RUN ...`; BuildKit plain: `#7 [3/6] RUN ...`. */
export function buildProgress(): (line: string) => StepProgress | undefined {
  return (line) => {
    const match = /^Step (\d+)\/(\d+) : (.*)$/.exec(line) ?? /^#\d+ \[(\d+)\/(\d+)\] (.*)$/.exec(line);
    if (!match) return undefined;
    const [, step = '0', steps = '1', instruction = ''] = match;
    return { done: Number(step) - 1, total: Number(steps), message: instruction.slice(0, 60) };
  };
}
