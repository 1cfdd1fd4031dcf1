/**
 * Reset's Docker half: removes what the tutorial's steps created, and only that. Steps create
 * objects through the docker label shim, so they carry `runnable-tutorial=true`; the learner's own
 * objects do not and are never touched. Docker Compose bypasses the shim: what it creates is found
 * by its project label instead, for the tutorial's own project names only. The lab container goes
 * too (it is recreated on demand); the stand-in and lab images stay, so the next run need not build
 * them again.
 */
import { docker, DockerCommandError } from './engine.ts';
import { COMPOSE_PROJECT_LABEL, LAB_LABEL, labelFilter, TUTORIAL_COMPOSE_PROJECTS, TUTORIAL_LABEL } from './labels.ts';
import { ALL_RECIPES, LAB_CONTAINER } from '../images/recipes.ts';

export interface CleanupReport {
  /** Names of the removed containers, networks, volumes; `repo:tag` or short id of removed images. */
  containers: string[];
  networks: string[];
  volumes: string[];
  images: string[];
  /** Labelled objects that could not go, and why (e.g. an image used by an unlabelled container). */
  kept: { object: string; reason: string }[];
}

export async function removeTutorialObjects(options: { signal?: AbortSignal } = {}): Promise<CleanupReport> {
  const { signal } = options;
  const report: CleanupReport = { containers: [], networks: [], volumes: [], images: [], kept: [] };
  const tutorial = labelFilter(TUTORIAL_LABEL);
  // Docker ANDs the label filters of one listing, so each selector is listed on its own and merged.
  const selectors = [tutorial, ...TUTORIAL_COMPOSE_PROJECTS.map((p) => labelFilter(COMPOSE_PROJECT_LABEL, p))];
  const listAll = async (args: string[], format: string) => [
    ...new Set(
      (await Promise.all(selectors.map((f) => lines([...args, '--filter', f, '--format', format], signal)))).flat(),
    ),
  ];

  const containers = await listAll(['container', 'ls', '-a'], '{{.Names}}');
  // The lab by name and label: containers started from the lab image inherit its label too.
  const lab = await lines(
    [
      'container',
      'ls',
      '-a',
      '--filter',
      labelFilter(LAB_LABEL),
      '--filter',
      `name=^${LAB_CONTAINER}$`,
      '--format',
      '{{.Names}}',
    ],
    signal,
  );
  for (const name of new Set([...containers, ...lab]))
    await remove(['container', 'rm', '-f', '-v', name], name, report.containers, report, signal);

  for (const name of await listAll(['network', 'ls'], '{{.Name}}')) {
    await remove(['network', 'rm', name], name, report.networks, report, signal);
  }
  for (const name of await listAll(['volume', 'ls'], '{{.Name}}')) {
    await remove(['volume', 'rm', name], name, report.volumes, report, signal);
  }
  await removeImages(report, signal);
  return report;
}

/**
 * Images built by tutorial steps, by tag (dangling ones by id), and those Compose built for the
 * tutorial's projects: it names them `<project>-<service>` and, in most versions, labels them with
 * the project (not all: 2.38, building through bake, did not), so both are looked for. Never the
 * stand-in or lab images,
 * whose ids are protected even if a label was inherited into them. An image another one was built
 * FROM can only go after it, so removal runs in rounds until nothing more goes.
 */
async function removeImages(report: CleanupReport, signal?: AbortSignal): Promise<void> {
  const protectedIds = new Set<string>();
  for (const recipe of ALL_RECIPES) {
    const id = await docker(['image', 'inspect', '--format', '{{.Id}}', recipe.image], { signal }).catch(() => '');
    if (id) protectedIds.add(id);
  }
  const selectors = [
    labelFilter(TUTORIAL_LABEL),
    ...TUTORIAL_COMPOSE_PROJECTS.flatMap((p) => [labelFilter(COMPOSE_PROJECT_LABEL, p), `reference=${p}-*`]),
  ];
  const listings = await Promise.all(
    selectors.map((filter) =>
      lines(['image', 'ls', '--no-trunc', '--filter', filter, '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'], signal),
    ),
  );
  let pending = [...new Set(listings.flat())]
    .map((line) => {
      const [id = '', ref = ''] = line.split(' ');
      return { id, ref: ref === '<none>:<none>' ? id : ref };
    })
    .filter((image) => !protectedIds.has(image.id));
  const failures = new Map<string, string>();
  while (pending.length) {
    const next: typeof pending = [];
    for (const image of pending) {
      try {
        await docker(['image', 'rm', image.ref], { signal });
        report.images.push(image.ref.startsWith('sha256:') ? image.ref.slice(7, 19) : image.ref);
      } catch (error) {
        if (!(error instanceof DockerCommandError) || error.kind === 'cancelled') throw error;
        if (/no such image/i.test(error.stderr)) continue; // went with an earlier tag of the same id
        failures.set(image.ref, error.stderr.split('\n')[0] ?? error.message);
        next.push(image);
      }
    }
    if (next.length === pending.length) break; // no progress: what is left is in use
    pending = next;
  }
  for (const image of pending)
    report.kept.push({ object: `image ${image.ref}`, reason: failures.get(image.ref) ?? 'unknown' });
}

/** One paragraph for the learner, e.g. "Removed 2 containers (weweb01, ...), 1 image (weweb01:latest)." */
export function describeCleanup(report: CleanupReport): string {
  const part = (count: string[], noun: string) =>
    count.length ? `${count.length} ${noun}${count.length === 1 ? '' : 's'} (${count.join(', ')})` : '';
  const removed = [
    part(report.containers, 'container'),
    part(report.networks, 'network'),
    part(report.volumes, 'volume'),
    part(report.images, 'image'),
  ].filter(Boolean);
  const kept = report.kept.map((k) => `${k.object}: ${k.reason}`);
  return (
    (removed.length ? `Removed ${removed.join(', ')}.` : 'No Docker objects of the tutorial to remove.') +
    (kept.length ? ` Kept, because they are in use:\n  ${kept.join('\n  ')}` : '')
  );
}

async function remove(
  args: string[],
  name: string,
  removed: string[],
  report: CleanupReport,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await docker(args, { signal });
    removed.push(name);
  } catch (error) {
    if (!(error instanceof DockerCommandError) || error.kind === 'cancelled') throw error;
    report.kept.push({ object: `${args[0]} ${name}`, reason: error.stderr.split('\n')[0] ?? error.message });
  }
}

async function lines(args: string[], signal?: AbortSignal): Promise<string[]> {
  return (await docker(args, { signal })).split('\n').filter(Boolean);
}
