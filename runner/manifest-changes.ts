/** What changed between two manifests, by step id: for `npm run dev` to tell the author. */
import type { Manifest } from '../contract/manifest.ts';

export interface ManifestChanges {
  added: string[];
  /** Same id, another hash: the step runs differently now, and its last status is stale. */
  changed: string[];
  removed: string[];
}

export function manifestChanges(before: Manifest, after: Manifest): ManifestChanges {
  const old = new Map(before.steps.map((s) => [s.id, s.hash]));
  const now = new Map(after.steps.map((s) => [s.id, s.hash]));
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    changed: [...now].filter(([id, hash]) => old.has(id) && old.get(id) !== hash).map(([id]) => id),
    removed: [...old.keys()].filter((id) => !now.has(id)),
  };
}

/** "new: a · changed: b, c", or '' when nothing changed. */
export function describeChanges({ added, changed, removed }: ManifestChanges): string {
  return [
    added.length > 0 && `new: ${added.join(', ')}`,
    changed.length > 0 && `changed: ${changed.join(', ')}`,
    removed.length > 0 && `removed: ${removed.join(', ')}`,
  ]
    .filter(Boolean)
    .join(' · ');
}
