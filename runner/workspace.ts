/**
 * The workspace: the folder steps run in (./workspace by default). It holds the tutorial's files,
 * a `home/` that is $HOME for every step, and `.runner/` with what the targets must see (the step
 * wrapper, code files, sessions). Every path a step names is resolved here and must stay inside,
 * symlinks included.
 *
 * The runner's own records (statuses, transcripts, runs in progress, the host's docker shim) live
 * outside it, in a private folder per workspace (`privateDir`) that no lab step can reach.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOME_DIR, normalizeWorkspacePath } from '../contract/workspace-path.ts';
import { mkdirInside, readInside, writeInside } from './fs/safe-write.ts';

/**
 * $XDG_STATE_HOME/runnable-tutorial/workspaces/<name>-<hash of the path>, by default under
 * ~/.local/state: one folder per workspace, readable by the user only.
 */
export function privateStateDir(root: string): string {
  const base = process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  const id = `${path.basename(root).replace(/[^\w.-]/g, '_')}-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`;
  return path.join(base, 'runnable-tutorial', 'workspaces', id);
}

export class PathOutsideWorkspace extends Error {}

export class Workspace {
  readonly root: string;
  /** The runner's own records for this workspace (see privateStateDir). */
  readonly privateDir: string;

  constructor(root: string) {
    mkdirSync(root, { recursive: true });
    this.root = realpathSync(root);
    this.privateDir = privateStateDir(this.root);
    this.makeFolders();
    this.adoptLegacyState();
  }

  /**
   * Runners before this layout kept their records in .runner/: move them to privateDir once, so
   * an update keeps the progress shown and the runs a crash left behind. Read through
   * safe-write (no symlink, FIFO or hard link followed); whatever is refused is dropped.
   */
  private adoptLegacyState(): void {
    const legacy = ['status.json', 'live-runs.json'];
    const transcripts = path.join(this.stateDir, 'transcripts');
    if (lstatSync(transcripts, { throwIfNoEntry: false })?.isDirectory()) {
      for (const name of readdirSync(transcripts)) if (name.endsWith('.json')) legacy.push(`transcripts/${name}`);
    }
    for (const name of legacy) {
      const from = `.runner/${name}`;
      try {
        const read = readInside(this.root, from, { maxBytes: 16 * 1024 * 1024 });
        if (read && !lstatSync(this.privatePath(name), { throwIfNoEntry: false })) {
          writeInside(this.privateDir, name, read.data, { mode: 0o600, dirMode: 0o700, existing: 'replace' });
        }
      } catch {
        // refused or unreadable: the record is lost, nothing else
      }
      rmSync(this.state(name), { force: true });
    }
    rmSync(transcripts, { recursive: true, force: true });
  }

  /** A path in privateDir. */
  privatePath(...parts: string[]): string {
    return path.join(this.privateDir, ...parts);
  }

  private makeFolders(): void {
    mkdirSync(this.home, { recursive: true });
    // Readable by the user only (sessions hold what steps exported); the lab runs as root. A
    // symlink or file planted as .runner is removed (rmSync unlinks a link, never its target).
    if (lstatSync(this.stateDir, { throwIfNoEntry: false })?.isDirectory() === false) rmSync(this.stateDir);
    try {
      mkdirInside(this.root, '.runner', 0o700, true);
    } catch (error) {
      // Made by the lab's root and not yet handed back (a crash mid-step): usable, if not ours to chmod.
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    }
    mkdirSync(this.privateDir, { recursive: true, mode: 0o700 });
    chmodSync(this.privateDir, 0o700);
  }

  get home(): string {
    return path.join(this.root, HOME_DIR);
  }

  /** What the targets must see (wrapper, code files, sessions); in the workspace so the lab sees it. */
  get stateDir(): string {
    return path.join(this.root, '.runner');
  }

  state(...parts: string[]): string {
    return path.join(this.stateDir, ...parts);
  }

  /**
   * Absolute path for a workspace-relative path, refusing `..`, absolute paths, and symlinks
   * anywhere along the way that point outside the workspace.
   */
  resolve(relative: string): string {
    const normal = normalizeWorkspacePath(relative);
    if ('error' in normal) throw new PathOutsideWorkspace(normal.error);
    const full = path.join(this.root, normal.path);
    // The deepest part that exists (a symlink counts, even a dangling one) decides where the path
    // really goes; realpath refuses a dangling link, which would otherwise be written through.
    let existing = full;
    while (!exists(existing)) existing = path.dirname(existing);
    let real: string;
    try {
      real = realpathSync(existing);
    } catch {
      throw new PathOutsideWorkspace(
        `${JSON.stringify(relative)} goes through a symlink that points nowhere; remove it or Reset`,
      );
    }
    if (real !== this.root && !real.startsWith(this.root + path.sep)) {
      throw new PathOutsideWorkspace(
        `${JSON.stringify(relative)} goes through a symlink to ${real}, outside the workspace`,
      );
    }
    return path.join(real, path.relative(existing, full));
  }

  /**
   * Empties the workspace (keeps the folder itself) and the runner's records of it, and recreates
   * home/ and .runner/. rmSync removes symlinks, never what they point to.
   */
  empty(): void {
    for (const dir of [this.root, this.privateDir]) {
      for (const name of readdirSync(dir)) rmSync(path.join(dir, name), { recursive: true, force: true });
    }
    this.makeFolders();
  }
}

/** Like existsSync, but true for a symlink whatever it points to. */
function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
