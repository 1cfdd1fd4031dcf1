/**
 * The workspace's tree for the Files panel: what `tree` shows there (no hidden entries, so not the
 * runner's own `.runner/`), read with lstat so a symlink is listed as one and never followed. The
 * lab mounts the workspace at the same path (targets/lab-container.ts), so this one tree is the
 * lab's too. Bounded: a virtualenv of thousands of files must not make an answer of megabytes.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { WorkspaceEntry, WorkspaceTree } from '../../contract/protocol.ts';

/** Entries listed at most; past it the answer says it was cut. */
export const TREE_MAX_ENTRIES = 2000;
/** Folders deeper than this are listed without their contents. */
export const TREE_MAX_DEPTH = 12;

export function workspaceTree(root: string): WorkspaceTree {
  let count = 0;
  let truncated = false;

  const walk = (dir: string, relative: string, depth: number): WorkspaceEntry[] => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return []; // unreadable (the lab's root made it 0700) or gone meanwhile: shown empty
    }
    const entries: WorkspaceEntry[] = [];
    // As `tree` sorts: by name, in the C locale's order.
    for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
      if (count >= TREE_MAX_ENTRIES) {
        truncated = true;
        break;
      }
      let stats: Stats;
      try {
        stats = lstatSync(path.join(dir, name));
      } catch {
        continue;
      }
      count++;
      const entryPath = relative ? `${relative}/${name}` : name;
      if (stats.isDirectory()) {
        const children = depth < TREE_MAX_DEPTH ? walk(path.join(dir, name), entryPath, depth + 1) : [];
        entries.push({ name, path: entryPath, type: 'dir', children });
      } else {
        const type = stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'link' : 'other';
        entries.push({ name, path: entryPath, type, ...(type === 'file' && { size: stats.size }) });
      }
    }
    return entries;
  };

  const entries = walk(root, '', 1);
  return truncated ? { entries, truncated } : { entries };
}
