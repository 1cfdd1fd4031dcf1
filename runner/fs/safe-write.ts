/**
 * Writing and reading files inside a folder that something hostile can also change: a step, or
 * the lab as root, may swap a folder for a symlink between a check and a write, plant a symlink,
 * a FIFO or a hard link to an outside file where the runner writes. Every file the runner writes
 * (step files, its own state, code files, scripts, the docker shim) goes through here.
 *
 * How: the folder chain is opened one component at a time, each with O_NOFOLLOW|O_DIRECTORY,
 * relative to the previous one's file descriptor (on Linux through /proc/self/fd/<fd>/<name>,
 * which resolves from the open folder itself, like openat(2)); a symlink anywhere is refused,
 * not followed. The file is then written as a new temporary file (O_CREAT|O_EXCL|O_NOFOLLOW) in
 * that verified folder and renamed over the target, which replaces a directory entry and never
 * opens what was there; the result is checked again after the rename. Existing targets that are
 * not plain files (FIFOs, devices, sockets, folders) or that have another hard link are refused,
 * and are never opened for writing. Reads open with O_NOFOLLOW|O_NONBLOCK, so a FIFO cannot block.
 *
 * Without /proc (macOS) the same checks run on path strings: still no symlink followed at the
 * last component and every component checked, but a swap between two checks is not excluded.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';

/** A write or read refused because the path is not a plain file reached without symlinks. */
export class UnsafePath extends Error {}

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK } = constants;
const PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');

/** An open folder: its descriptor, and the path it was reached by (for messages and the fallback). */
interface Dir {
  fd: number;
  path: string;
}

/** The name `name` inside `dir`, resolved from the open folder itself where the OS allows. */
function at(dir: Dir, name: string): string {
  return PROC_FD ? `/proc/self/fd/${dir.fd}/${name}` : path.join(dir.path, name);
}

/** `relative` split into plain names; `..`, `.`, empty and absolute parts are refused. */
function split(relative: string): string[] {
  const parts = relative.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (path.isAbsolute(relative) || parts.length === 0 || parts.includes('..'))
    throw new UnsafePath(`${JSON.stringify(relative)} is not a plain relative path`);
  return parts;
}

function kind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Opens `root` (trusted: the workspace or the runner's state folder) and then each of `parts`
 * below it without following symlinks; with `create`, missing folders are made with `dirMode`.
 */
function openChain(root: string, parts: string[], create: boolean, dirMode: number, shown: string): Dir | undefined {
  let dir: Dir = { fd: openSync(root, O_RDONLY | O_DIRECTORY), path: root };
  try {
    for (const [i, name] of parts.entries()) {
      const where = parts.slice(0, i + 1).join('/');
      const file = at(dir, name);
      const open = () => {
        if (!PROC_FD) refuseLink(file, where, shown);
        return openSync(file, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      };
      let fd: number;
      try {
        fd = open();
      } catch (error) {
        if (code(error) !== 'ENOENT') explain(error, file, where, shown);
        if (!create) {
          closeSync(dir.fd);
          return undefined;
        }
        try {
          mkdirSync(file, { mode: dirMode });
        } catch (made) {
          if (code(made) !== 'EEXIST') throw made;
        }
        try {
          fd = open(); // what is there now: the folder just made, or whatever raced it
        } catch (again) {
          explain(again, file, where, shown);
        }
      }
      closeSync(dir.fd);
      dir = { fd, path: path.join(dir.path, name) };
    }
    return dir;
  } catch (error) {
    closeSync(dir.fd);
    throw error;
  }
}

/** Turns a failed no-follow open of a folder into the reason a learner can act on. */
function explain(error: unknown, file: string, where: string, shown: string): never {
  // With O_DIRECTORY, Linux answers ENOTDIR for a symlink, not ELOOP: lstat tells them apart.
  const link = code(error) === 'ELOOP' || (code(error) === 'ENOTDIR' && isLink(file));
  if (link)
    throw new UnsafePath(`${shown}: ${where} is a symlink; refused (the runner does not write through symlinks)`);
  if (code(error) === 'ENOTDIR') throw new UnsafePath(`${shown}: ${where} is not a folder`);
  throw error;
}

function isLink(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() === true;
}

function refuseLink(file: string, where: string, shown: string): void {
  try {
    if (lstatSync(file).isSymbolicLink())
      throw new UnsafePath(`${shown}: ${where} is a symlink; refused (the runner does not write through symlinks)`);
  } catch (error) {
    if (error instanceof UnsafePath || code(error) !== 'ENOENT') throw error;
  }
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Refuses an existing target the runner must not overwrite in place: links, FIFOs, hard links. */
function checkTarget(stats: Stats, shown: string): void {
  if (stats.isSymbolicLink())
    throw new UnsafePath(`${shown} is a symlink; refused (the runner does not write through symlinks)`);
  if (!stats.isFile()) throw new UnsafePath(`${shown} is not a regular file (${kind(stats)}); refused, never opened`);
  if (stats.nlink > 1)
    throw new UnsafePath(
      `${shown} has ${stats.nlink} hard links (another name, maybe outside the workspace, shares its content); ` +
        'refused: delete it, or Reset',
    );
}

export interface WriteOptions {
  /** Mode of the file written (default 0666 less the umask, as for any new file). */
  mode?: number;
  /** Mode of folders made on the way (default 0777 less the umask). */
  dirMode?: number;
  /**
   * What to do with an existing symlink, FIFO, device or hard-linked file at the target:
   * 'refuse' (a step's file: the learner should see it) or 'replace' (the runner's own files:
   * the entry is replaced by the rename, never opened). Default 'refuse'.
   */
  existing?: 'refuse' | 'replace';
  /** How the path is named in messages (default: `relative`). */
  shown?: string;
}

/**
 * Writes `data` as `root/relative`, whole or not at all, without following any symlink below
 * `root`. Throws UnsafePath (a message naming the path) when the way or the target is refused.
 */
export function writeInside(root: string, relative: string, data: string | Buffer, options: WriteOptions = {}): void {
  const shown = options.shown ?? relative;
  const parts = split(relative);
  const name = parts.pop()!;
  const dir = openChain(root, parts, true, options.dirMode ?? 0o777, shown)!;
  let tmpFd: number | undefined;
  const tmp = `.${name}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const before = lstatOrUndefined(at(dir, name));
    if (before && (options.existing ?? 'refuse') === 'refuse') checkTarget(before, shown);
    if (before?.isDirectory()) throw new UnsafePath(`${shown} is a folder; refused`);
    const mode = options.mode ?? 0o666;
    tmpFd = openSync(at(dir, tmp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    const buffer = typeof data === 'string' ? Buffer.from(data) : data;
    for (let done = 0; done < buffer.length;) done += writeSync(tmpFd, buffer, done);
    if (options.mode !== undefined) fchmodSync(tmpFd, mode); // exact, whatever the umask
    renameSync(at(dir, tmp), at(dir, name));
    // The rename replaced a directory entry; check that the entry now is the file just written.
    const written = fstatSync(tmpFd);
    const now = lstatOrUndefined(at(dir, name));
    if (!now || now.ino !== written.ino || now.dev !== written.dev || now.nlink !== 1)
      throw new UnsafePath(`${shown} was changed by something else while the runner wrote it; refused`);
  } catch (error) {
    if (tmpFd !== undefined) {
      try {
        unlinkSync(at(dir, tmp));
      } catch {
        // renamed already, or gone
      }
    }
    throw error;
  } finally {
    if (tmpFd !== undefined) closeSync(tmpFd);
    closeSync(dir.fd);
  }
}

export interface ReadResult {
  data: Buffer;
  /** Permission bits of the file read, to keep them when it is written back. */
  mode: number;
}

/**
 * Reads `root/relative` without following symlinks and without blocking on a FIFO; undefined
 * when it does not exist. Refuses what is not a plain file with one link, and files over `maxBytes`.
 */
export function readInside(
  root: string,
  relative: string,
  options: { maxBytes?: number; shown?: string; allowHardLinks?: boolean } = {},
): ReadResult | undefined {
  const shown = options.shown ?? relative;
  const parts = split(relative);
  const name = parts.pop()!;
  const dir = openChain(root, parts, false, 0o755, shown);
  if (!dir) return undefined;
  let fd: number | undefined;
  try {
    try {
      if (!PROC_FD) refuseLink(at(dir, name), name, shown);
      fd = openSync(at(dir, name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch (error) {
      if (code(error) === 'ENOENT') return undefined;
      if (code(error) === 'ELOOP')
        throw new UnsafePath(`${shown} is a symlink; refused (the runner does not read through symlinks)`);
      throw error;
    }
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UnsafePath(`${shown} is not a regular file (${kind(stats)}); refused`);
    if (stats.nlink > 1 && !options.allowHardLinks) checkTarget(stats, shown);
    if (options.maxBytes !== undefined && stats.size > options.maxBytes)
      throw new UnsafePath(`${shown} is larger than ${options.maxBytes} bytes; refused`);
    return { data: readFileSync(fd), mode: stats.mode & 0o7777 };
  } finally {
    if (fd !== undefined) closeSync(fd);
    closeSync(dir.fd);
  }
}

/**
 * Makes `root/relative` (and the folders on the way) without following symlinks; with `exact`,
 * the last folder gets exactly `dirMode` even if it existed (through its descriptor, not its path).
 */
export function mkdirInside(root: string, relative: string, dirMode = 0o755, exact = false): void {
  const dir = openChain(root, split(relative), true, dirMode, relative)!;
  try {
    if (exact) fchmodSync(dir.fd, dirMode);
  } finally {
    closeSync(dir.fd);
  }
}

/**
 * Copies a trusted file (one of the runner's own scripts) to `root/relative` unless an identical
 * plain file is there already; whatever else is there (a symlink, a FIFO) is replaced, not opened.
 */
export function installInside(root: string, relative: string, source: string, mode: number): void {
  const wanted = readFileSync(source);
  let current: ReadResult | undefined;
  try {
    current = readInside(root, relative);
  } catch (error) {
    if (!(error instanceof UnsafePath)) throw error;
  }
  if (current && current.mode === mode && current.data.equals(wanted)) return;
  writeInside(root, relative, wanted, { mode, dirMode: 0o700, existing: 'replace' });
}
