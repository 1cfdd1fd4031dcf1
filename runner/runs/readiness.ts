/**
 * "Is the server up yet?": polls a port until it answers. With a path, any HTTP response counts
 * (a 404 still proves the server is serving); without one, a TCP connect is enough.
 */
import { httpAnswers, LOOPBACK, portAnswers } from '../net/port-probe.ts';

/** Resolves true once ready, false if `signal` fires first. */
export async function waitUntilReady(
  port: number,
  path: string | undefined,
  signal: AbortSignal,
  host = LOOPBACK,
): Promise<boolean> {
  let delay = 50;
  while (!signal.aborted) {
    const ok = path ? await httpAnswers(port, path, 2000, host) : await portAnswers(port, 500, host);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
  return false;
}

/** `host`: where the target publishes (a remote engine's host; see Target.portHost). */
export const serviceUrl = (port: number, path = '/', host = LOOPBACK) =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
