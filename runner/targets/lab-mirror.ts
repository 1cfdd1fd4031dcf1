/**
 * The shared image store of the isolated labs: a volume holding a registry's storage, filled once
 * from the images the host's engine has (official ones online, stand-ins offline) and mounted
 * read-only into every lab, where a registry on the lab's loopback serves it as Docker Hub's mirror
 * (lab-engine.sh). A lab then pulls `python:3.13` only when a step needs it, from local disk, and
 * no lab holds a copy it does not use; the store itself is one copy for every lab.
 *
 * Filling it runs a short-lived lab ("the seeder") with the store writable: `docker save` on the
 * host, `docker load` and `docker push` inside. Pushing from inside works on any engine (remote,
 * Docker Desktop), because the registry is on the seeder's own loopback. `seeded.json` in the store
 * records which image id each name was filled from, so an unchanged image is not pushed again.
 */
import { say, type Said } from '../../contract/messages.ts';
import { execa } from 'execa';
import { docker, isNoSuchObject } from '../engine/engine.ts';
import { InFlight } from '../engine/in-flight.ts';
import { LAB_LABEL } from '../engine/labels.ts';
import { ALL_RECIPES, LAB_ENGINE_IMAGE } from '../images/recipes.ts';
import { LAB_MIRROR_VOLUME, MIRROR_MOUNT, NESTED_ENGINE_FLAGS, waitForLabEngine } from './lab-container.ts';

const SEEDER = 'runnable-tutorial-mirror-seed';
const RECORD = `${MIRROR_MOUNT}/seeded.json`;

/** The images every lab may pull: the ones the chapters name (their stand-ins offline). */
export function mirroredImages(): string[] {
  return ALL_RECIPES.filter((r) => r.role === 'standin').map((r) => r.image);
}

/** `python:3.13` → `library/python:3.13`: the repository path Docker Hub (and so a mirror) serves it under. */
export function mirrorPath(image: string): string {
  const [name = image, tag = 'latest'] = image.includes(':') ? image.split(':') : [image];
  return `${name.includes('/') ? name : `library/${name}`}:${tag}`;
}

export interface MirrorOutcome {
  pushed: string[];
  kept: string[];
  seconds: number;
}

const filling = new InFlight<MirrorOutcome, Said>();

/**
 * Makes the store hold the host engine's current `images` (missing ones are skipped). Labs of one
 * process asking at once share one fill: there is one seeder, with one name.
 */
export function ensureMirror(
  images = mirroredImages(),
  onProgress: (message: Said) => void = () => {},
): Promise<MirrorOutcome> {
  return filling.run(images.join(' '), onProgress, (progress) => fill(images, progress));
}

async function fill(images: string[], onProgress: (message: Said) => void): Promise<MirrorOutcome> {
  const started = Date.now();
  const ids: Record<string, string> = {};
  for (const image of images) {
    const id = await docker(['image', 'inspect', '--format', '{{.Id}}', image]).catch((error: unknown) => {
      if (isNoSuchObject(error)) return '';
      throw error;
    });
    if (id) ids[image] = id;
  }
  const seeded = await readRecord();
  const todo = Object.keys(ids).filter((image) => seeded[image] !== ids[image]);
  const kept = Object.keys(ids).filter((image) => !todo.includes(image));
  if (todo.length === 0) return { pushed: [], kept, seconds: (Date.now() - started) / 1000 };

  onProgress(say('status.store-filling', { images: todo.join(', ') }));
  await docker(['volume', 'create', '--label', `${LAB_LABEL}=true`, LAB_MIRROR_VOLUME]);
  await docker(['rm', '-f', '-v', SEEDER]).catch(() => {}); // left over from an interrupted fill
  await docker([
    'run',
    '-d',
    '--name',
    SEEDER,
    '--label',
    `${LAB_LABEL}=true`,
    '-e',
    'LAB_MIRROR_SEED=1',
    ...NESTED_ENGINE_FLAGS,
    '-v',
    `${LAB_MIRROR_VOLUME}:${MIRROR_MOUNT}`,
    '-v',
    '/var/lib/docker', // an anonymous volume: overlay2 cannot sit on the container's own overlay
    LAB_ENGINE_IMAGE,
    'sleep',
    'infinity',
  ]);
  try {
    await waitForLabEngine(SEEDER);
    for (const image of todo) {
      onProgress(say('status.store-copying', { image }));
      const save = execa('docker', ['save', image], { buffer: false });
      const load = execa('docker', ['exec', '-i', SEEDER, '/usr/bin/docker', 'load', '-q'], { stdin: 'pipe' });
      save.stdout.pipe(load.stdin);
      await Promise.all([save, load]);
      const target = `127.0.0.1:5000/${mirrorPath(image)}`;
      await docker(['exec', SEEDER, '/usr/bin/docker', 'tag', image, target]);
      await docker(['exec', SEEDER, '/usr/bin/docker', 'push', '-q', target]);
      seeded[image] = ids[image]!;
      await docker(['exec', '-i', SEEDER, 'sh', '-c', `cat > ${RECORD}`], { input: JSON.stringify(seeded) });
    }
  } finally {
    await docker(['rm', '-f', '-v', SEEDER]).catch(() => {});
  }
  return { pushed: todo, kept, seconds: (Date.now() - started) / 1000 };
}

/** What the store was filled from: image name → image id; empty when there is no store yet. */
async function readRecord(): Promise<Record<string, string>> {
  const exists = await docker(['volume', 'inspect', '--format', '{{.Name}}', LAB_MIRROR_VOLUME]).catch(() => '');
  if (!exists) return {};
  const text = await docker([
    'run',
    '--rm',
    '--network',
    'none',
    '-v',
    `${LAB_MIRROR_VOLUME}:${MIRROR_MOUNT}:ro`,
    '--entrypoint',
    'cat',
    LAB_ENGINE_IMAGE,
    RECORD,
  ]).catch(() => '{}');
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return {};
  }
}
