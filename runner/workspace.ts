/**
 * The workspace: the folder steps run in (./workspace by default). It holds the tutorial's files,
 * a `home/` that is $HOME for every step, and `.runner/` with sessions, statuses and transcripts.
 * Every path a step names is resolved here and must stay inside, symlinks included.
 */
import { lstatSync, mkdirSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { HOME_DIR, normalizeWorkspacePath } from '../contract/workspace-path.ts';

export class PathOutsideWorkspace extends Error {}

export class Workspace {
  readonly root: string;

  constructor(root: string) {
    mkdirSync(root, { recursive: true });
    this.root = realpathSync(root);
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.stateDir, { recursive: true });
  }

  get home(): string {
    return path.join(this.root, HOME_DIR);
  }

  /** Runner state (sessions, statuses, transcripts); lives in the workspace so Reset clears it. */
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

  /** Empties the workspace (keeps the folder itself) and recreates home/ and .runner/. */
  empty(): void {
    for (const name of readdirSync(this.root)) {
      rmSync(path.join(this.root, name), { recursive: true, force: true });
    }
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.stateDir, { recursive: true });
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
