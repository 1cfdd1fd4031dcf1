/**
 * The runner's token, kept across restarts as Jupyter keeps its runtime files: in the user's state
 * folder (`$XDG_STATE_HOME/runnable-tutorial`, or `~/.local/state/...`), readable by the user only.
 * Open tabs therefore reconnect by themselves after `npm start` again; `--new-token` rotates it.
 *
 * The link to open is a file in the same folder (mode 0600) that sends the browser on to the
 * runner with the token: a terminal that opens a clicked link puts that file's path on the
 * browser's command line, where other local users can read it, but never the token itself.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RUNNER_STATE_DIR) return path.resolve(env.RUNNER_STATE_DIR);
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'runnable-tutorial');
}

/** The saved token (made on first use), or a new one when `rotate` is set. */
export function loadToken(dir: string, rotate: boolean): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'token');
  if (!rotate && existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{48}$/.test(saved)) {
      chmodSync(file, 0o600); // in case someone loosened it
      return saved;
    }
  }
  const token = randomBytes(24).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on write
  return token;
}

/** Writes the 0600 page that forwards to `url` with the token; returns its file:// link. */
export function writeOpenPage(dir: string, url: string, token: string): string {
  const file = path.join(dir, 'open.html');
  const target = `${url}?token=${encodeURIComponent(token)}`;
  const html = `<!doctype html>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${target}">
<title>Opening the tutorial…</title>
<p>Opening the tutorial… If nothing happens, <a href="${target}">open it here</a>.</p>
`;
  writeFileSync(file, html, { mode: 0o600 });
  chmodSync(file, 0o600);
  return pathToFileURL(file).href;
}
