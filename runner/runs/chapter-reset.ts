/**
 * "Reset this chapter": removes only what this chapter's steps made (chapter-footprint.ts): its
 * services, its folders, and its Docker containers, images and networks, each only if it carries
 * the tutorial's label (the learner's own objects are never touched), in the engine the steps
 * used: the isolated lab's own, or this machine's. The caller then forgets the chapter's statuses,
 * so it starts over, and sets a missing stage (stage.ts).
 */
import type { Manifest } from '../../contract/manifest.ts';
import type { EngineCli } from '../engine/lab-engine.ts';
import { labelFilter, TUTORIAL_LABEL } from '../engine/labels.ts';
import type { Workspace } from '../workspace.ts';
import { chapterFootprint } from './chapter-footprint.ts';
import { rmSync } from 'node:fs';

async function labelled(docker: EngineCli, kind: 'container' | 'image' | 'network', name: string): Promise<boolean> {
  try {
    const value = await docker([kind, 'inspect', '--format', `{{index .Config.Labels "${TUTORIAL_LABEL}"}}`, name]);
    return value.trim() === 'true';
  } catch {
    return false; // not there (or no labels)
  }
}

/** Removes the chapter's Docker objects and folders; returns what went, for the progress line. */
export async function removeChapterFootprint(
  manifest: Manifest,
  chapterId: string,
  workspace: Workspace,
  /** The engine the steps used; undefined when Docker is not running. */
  docker: EngineCli | undefined,
): Promise<string[]> {
  const footprint = chapterFootprint(manifest, chapterId);
  const removed: string[] = [];
  if (docker) {
    // Containers by name, and every labelled container of the chapter's images (`docker run -d weweb01`).
    const containers = new Set(footprint.containers);
    for (const image of footprint.images) {
      const ids = await docker([
        'container',
        'ls',
        '-a',
        '-q',
        '--filter',
        labelFilter(TUTORIAL_LABEL),
        '--filter',
        `ancestor=${image}`,
      ]).catch(() => '');
      for (const id of ids.split('\n').filter(Boolean)) containers.add(id);
    }
    for (const name of containers) {
      if (await labelled(docker, 'container', name)) {
        await docker(['container', 'rm', '-f', name]).catch(() => {});
        removed.push(`container ${name}`);
      }
    }
    for (const name of footprint.networks) {
      // Networks keep their labels under .Labels, not .Config.Labels.
      const value = await docker([
        'network',
        'inspect',
        '--format',
        `{{index .Labels "${TUTORIAL_LABEL}"}}`,
        name,
      ]).catch(() => '');
      if (value.trim() === 'true') {
        await docker(['network', 'rm', name]).catch(() => {});
        removed.push(`network ${name}`);
      }
    }
    for (const name of footprint.images) {
      if (await labelled(docker, 'image', name)) {
        await docker(['image', 'rm', '-f', name]).catch(() => {});
        removed.push(`image ${name}`);
      }
    }
  }
  for (const folder of footprint.folders) {
    rmSync(workspace.resolve(folder), { recursive: true, force: true });
    removed.push(`folder ${folder}`);
  }
  return removed;
}
