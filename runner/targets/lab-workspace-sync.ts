/**
 * The workspace of a lab on a remote engine (README, "Where steps run", "On a remote engine"): the
 * lab mounts a volume of its own at the workspace's path, and this module keeps that volume and the
 * runner's folder the same, through the Engine API only (`docker cp`, which is its archive
 * endpoints, and `docker exec rm` for deletions).
 *
 * Why a sync, and not every file operation routed to the engine: the runner reads and writes the
 * workspace in many places (file and edit steps, the Files panel, the session's scripts and code
 * files under .runner/, Reset's removal of chapter folders, the YAML bridge's script), all through
 * fs/safe-write.ts with its symlink and hard-link checks. Keeping a local copy lets every one of
 * them stay as it is and as tested; the lab side is brought level at the few moments the lab must
 * see the runner's writes (before a step's code runs, after a file step, a Files-panel save, a
 * terminal or YAML bridge start) or the runner must see the lab's (after a step, before the Files
 * panel reads). Each sync is one `docker cp` of the lab's workspace out, a three-way merge against
 * what both sides held after the last one (workspace-merge.ts: a change on both sides keeps both
 * versions), and only the differences sent each way. The base is saved with the volume's creation
 * time, so a runner restart does not mistake old files for new ones, and a new volume (the lab
 * was removed) starts from the runner's copy instead of deleting it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { say, type Said } from '../../contract/messages.ts';
import { docker, isNoSuchObject } from '../engine/engine.ts';
import { mkdirInside, writeInside } from '../fs/safe-write.ts';
import { CONFLICT_SUFFIX, orderForApply, planMerge, type Signature, type Tree } from './workspace-merge.ts';

export interface SyncOptions {
  /** The workspace: the runner's folder and the path the volume is mounted at in the lab. */
  root: string;
  container: string;
  volume: string;
  /** Where the base is kept between runner starts (in the runner's private folder). */
  stateFile: string;
  /** Tells the learner (a conflict kept both versions; a copy that could not be kept). */
  warn?: (said: Said) => void;
}

export interface SyncReport {
  toLab: number;
  toRunner: number;
  conflicts: string[];
}

export class LabWorkspaceSync {
  private readonly options: SyncOptions;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: SyncOptions) {
    this.options = options;
  }

  /** Brings both sides level; calls are serialized. The lab must exist (stopped is not enough for deletions). */
  sync(): Promise<SyncReport> {
    const next = this.queue.then(() => this.syncNow());
    this.queue = next.catch(() => {});
    return next;
  }

  /** The volume is gone (Reset removed the lab): nothing is shared any more. */
  forget(): void {
    rmSync(this.options.stateFile, { force: true });
  }

  private async syncNow(): Promise<SyncReport> {
    const { root, container } = this.options;
    const volumeId = await docker(['volume', 'inspect', '--format', '{{.CreatedAt}}', this.options.volume]);
    const saved = this.loadBase();
    const base: Tree = saved.volume === volumeId ? saved.tree : new Map();
    const pulled = mkdtempSync(path.join(os.tmpdir(), 'lab-workspace-'));
    try {
      await docker(['cp', `${container}:${root}/.`, pulled]);
      const plan = planMerge(snapshot(root), snapshot(pulled), base);
      const toLab = orderForApply(plan.actions.flatMap((a) => (a.to === 'lab' ? [a] : [])));
      const toRunner = orderForApply(plan.actions.flatMap((a) => (a.to === 'runner' ? [a] : [])));
      const conflicts = plan.actions.flatMap((a) => (a.to === 'conflict' ? [a.path] : []));
      const kept: string[] = [];
      for (const file of conflicts) {
        // The lab's version, kept beside the runner's on both sides (the runner's goes to the lab).
        try {
          writeInside(root, file + CONFLICT_SUFFIX, readFileSync(path.join(pulled, file)), { existing: 'replace' });
        } catch (error) {
          this.options.warn?.(`${file}: the lab's copy could not be kept beside it: ${(error as Error).message}`);
          continue;
        }
        kept.push(file + CONFLICT_SUFFIX);
        this.options.warn?.(say('status.workspace-conflict', { path: file, copy: file + CONFLICT_SUFFIX }));
      }
      for (const action of toRunner) applyLocally(root, pulled, action.path, action.sig);
      const deletions = toLab.filter((a) => a.sig === undefined).map((a) => path.join(root, a.path));
      if (deletions.length) await docker(['exec', container, 'rm', '-rf', '--', ...deletions]);
      const sends = [...toLab.filter((a) => a.sig !== undefined).map((a) => a.path), ...conflicts, ...kept];
      if (sends.length) await sendToLab(root, container, sends);
      this.saveBase(volumeId, plan.base);
      return { toLab: toLab.length + conflicts.length, toRunner: toRunner.length, conflicts };
    } finally {
      rmSync(pulled, { recursive: true, force: true });
    }
  }

  private loadBase(): { volume?: string; tree: Tree } {
    try {
      const json = JSON.parse(readFileSync(this.options.stateFile, 'utf8')) as {
        volume?: string;
        tree?: Record<string, string>;
      };
      return { volume: json.volume, tree: new Map(Object.entries(json.tree ?? {})) };
    } catch {
      return { tree: new Map() };
    }
  }

  private saveBase(volume: string, tree: Tree): void {
    mkdirSync(path.dirname(this.options.stateFile), { recursive: true, mode: 0o700 });
    writeFileSync(this.options.stateFile, JSON.stringify({ volume, tree: Object.fromEntries(tree) }), {
      mode: 0o600,
    });
  }
}

/** Removes the lab's workspace volume; absent is fine. */
export async function removeWorkspaceVolume(volume: string): Promise<void> {
  await docker(['volume', 'rm', volume]).catch((error: unknown) => {
    if (!isNoSuchObject(error)) throw error;
  });
}

/** Every entry under `root`, symlinks not followed; the runner's writeInside temp files left out. */
export function snapshot(root: string): Tree {
  const tree: Tree = new Map();
  const walk = (dir: string, relative: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (/^\..+\.[0-9a-f]{12}\.tmp$/.test(name)) continue; // a write in progress (safe-write.ts)
      const full = path.join(dir, name);
      const rel = relative ? `${relative}/${name}` : name;
      let sig: Signature | undefined;
      try {
        const stats = lstatSync(full);
        if (stats.isDirectory()) sig = 'd';
        else if (stats.isSymbolicLink()) sig = `l:${readlinkSync(full)}`;
        else if (stats.isFile())
          sig = `f:${(stats.mode & 0o7777).toString(8)}:${createHash('sha1').update(readFileSync(full)).digest('hex')}`;
      } catch {
        continue; // gone meanwhile, or unreadable: left where it is
      }
      if (!sig) continue;
      tree.set(rel, sig);
      if (sig === 'd') walk(full, rel);
    }
  };
  walk(root, '');
  return tree;
}

/** Makes `root/relative` what it is in `pulled` (or removes it), never following a symlink on the way. */
function applyLocally(root: string, pulled: string, relative: string, sig: Signature | undefined): void {
  const target = path.join(root, relative);
  const parent = path.dirname(relative);
  if (parent !== '.' && !isRealFolderChain(root, parent)) return; // a link on the way: not written through
  const before = lstatSync(target, { throwIfNoEntry: false });
  if (sig === undefined) {
    if (before) rmSync(target, { recursive: true, force: true });
    return;
  }
  if (sig === 'd') {
    if (before && !before.isDirectory()) rmSync(target, { force: true });
    mkdirInside(root, relative, 0o755);
    return;
  }
  if (before?.isDirectory() || (before && sig.startsWith('l:'))) rmSync(target, { recursive: true, force: true });
  if (sig.startsWith('l:')) {
    symlinkSync(sig.slice(2), target);
    return;
  }
  const mode = parseInt(sig.split(':')[1]!, 8);
  writeInside(root, relative, readFileSync(path.join(pulled, relative)), { mode, existing: 'replace' });
}

function isRealFolderChain(root: string, relative: string): boolean {
  let current = root;
  for (const part of relative.split('/')) {
    current = path.join(current, part);
    if (!lstatSync(current, { throwIfNoEntry: false })?.isDirectory()) return false;
  }
  return true;
}

/** `tar` of the given paths (folders without their contents), extracted by `docker cp -` into the lab's workspace. */
function sendToLab(root: string, container: string, paths: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn(
      'tar',
      ['-c', '--no-recursion', '--numeric-owner', '--owner=0', '--group=0', '-C', root, '--null', '-T', '-'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const cp = spawn('docker', ['cp', '-', `${container}:${root}`], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    tar.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    cp.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    tar.stdout.pipe(cp.stdin);
    tar.stdin.end(paths.map((p) => `${p}\0`).join(''));
    let pending = 2;
    let failed = false;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(
          new Error(
            `copying ${paths.length} workspace entries into ${container}: ${what} exited with ${code}: ${errors.trim()}`,
          ),
        );
      }
      if (--pending === 0 && !failed) resolve();
    };
    tar.once('close', done('tar'));
    cp.once('close', done('docker cp'));
    tar.once('error', reject);
    cp.once('error', reject);
  });
}
