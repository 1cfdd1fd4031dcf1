/**
 * The pure half of the workspace's travel to a lab on a remote engine (lab-workspace-sync.ts): what
 * a tree looks like, and the three-way rule that decides, path by path, which side's version wins.
 *
 * The rule (why no learner's data is lost): `base` is what both sides held after the last sync.
 * - Changed on one side only (compared with base): that side's version goes to the other.
 * - Changed on both sides to the same thing: nothing to do.
 * - Changed on both sides differently (a Files-panel save while a lab server rewrote the file):
 *   the runner's copy stays in place and goes to the lab, and the lab's copy is kept beside it as
 *   `<name>.from-lab`, on both sides; the learner is told. When one side
 *   deleted the path and the other changed it, the changed version wins (a deletion never eats an edit).
 */

/** `d` a folder; `l:<target>` a symlink; `f:<mode>:<sha1>` a file. Other kinds are not carried. */
export type Signature = string;
export type Tree = Map<string, Signature>;

export type Action =
  | { path: string; to: 'lab'; sig: Signature | undefined }
  | { path: string; to: 'runner'; sig: Signature | undefined }
  | { path: string; to: 'conflict'; local: Signature; lab: Signature };

export interface Plan {
  actions: Action[];
  /** What both sides hold once the actions are applied (a conflict copy joins it at the next sync). */
  base: Tree;
}

/** Suffix of the lab's copy of a file both sides changed differently. */
export const CONFLICT_SUFFIX = '.from-lab';

export function planMerge(local: Tree, lab: Tree, base: Tree): Plan {
  const paths = [...new Set([...local.keys(), ...lab.keys(), ...base.keys()])].sort();
  const actions: Action[] = [];
  const next: Tree = new Map();
  for (const path of paths) {
    const l = local.get(path);
    const r = lab.get(path);
    const b = base.get(path);
    let agreed: Signature | undefined;
    if (l === r) agreed = l;
    else if (l === b) {
      actions.push({ path, to: 'runner', sig: r });
      agreed = r;
    } else if (r === b) {
      actions.push({ path, to: 'lab', sig: l });
      agreed = l;
    } else if (l === undefined) {
      actions.push({ path, to: 'runner', sig: r }); // deleted here, changed there: the change wins
      agreed = r;
    } else if (r === undefined) {
      actions.push({ path, to: 'lab', sig: l });
      agreed = l;
    } else if (l.startsWith('f:') && r.startsWith('f:')) {
      actions.push({ path, to: 'conflict', local: l, lab: r });
      agreed = l;
    } else {
      // A folder against a file or link: the runner's side stays (what the learner did through it).
      actions.push({ path, to: 'lab', sig: l });
      agreed = l;
    }
    if (agreed !== undefined) next.set(path, agreed);
  }
  return { actions, base: next };
}

/** Deletions deepest first, then creations shallowest first: a folder exists before its files. */
export function orderForApply<T extends { path: string; sig: Signature | undefined }>(items: T[]): T[] {
  const deletions = items.filter((a) => a.sig === undefined).sort((a, b) => depth(b.path) - depth(a.path));
  const creations = items.filter((a) => a.sig !== undefined).sort((a, b) => depth(a.path) - depth(b.path));
  return [...deletions, ...creations];
}

const depth = (path: string) => path.split('/').length;
