/**
 * Paths that steps name (`cwd`, `file`) are relative to the workspace and may never leave it.
 * This is the lexical check, shared by the build and the runner; the runner adds a symlink check
 * on the real file system (runner/workspace.ts).
 *
 * `~` and `~/x` mean the workspace's home folder, so a step that edits `~/.bashrc` edits the
 * learner's tutorial home, never their real one.
 */
import path from 'node:path';

export const HOME_DIR = 'home';

/** Normalizes a workspace-relative path, or returns an error message saying why it is refused. */
export function normalizeWorkspacePath(written: string): { path: string } | { error: string } {
  if (written.trim() === '') return { error: 'the path is empty' };
  if (written.includes('\0')) return { error: 'the path contains a NUL byte' };
  if (path.posix.isAbsolute(written) || /^[a-zA-Z]:[\\/]/.test(written) || written.includes('\\')) {
    return { error: `${JSON.stringify(written)} is absolute; write it relative to the workspace` };
  }
  const expanded = written === '~' ? HOME_DIR : written.startsWith('~/') ? `${HOME_DIR}/${written.slice(2)}` : written;
  if (expanded.startsWith('~')) {
    return { error: `${JSON.stringify(written)}: only "~/" (the workspace home) is supported` };
  }
  const normal = path.posix.normalize(expanded).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) {
    return { error: `${JSON.stringify(written)} leaves the workspace` };
  }
  return { path: normal === '' ? '.' : normal };
}

/** Joins a path onto a normalized base, refusing a result outside the workspace. */
export function joinWorkspacePath(base: string, written: string): { path: string } | { error: string } {
  // `~/x` is rooted at the workspace home and an absolute path is refused, whatever the base.
  if (written.startsWith('~') || path.posix.isAbsolute(written)) return normalizeWorkspacePath(written);
  const joined = normalizeWorkspacePath(path.posix.join(base, written));
  return 'error' in joined ? { error: `${JSON.stringify(written)} (from ${base}) leaves the workspace` } : joined;
}
