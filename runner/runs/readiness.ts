/**
 * "Is the server up yet?": polls a port until it answers. With a path, any HTTP response counts
 * (a 404 still proves the server is serving); without one, a TCP connect is enough.
 */
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';

export function portAnswers(port: number, timeoutMs = 500, host = HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function httpAnswers(port: number, path: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: HOST, port, path, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(true);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

/** Resolves true once ready, false if `signal` fires first. */
export async function waitUntilReady(port: number, path: string | undefined, signal: AbortSignal): Promise<boolean> {
  let delay = 50;
  while (!signal.aborted) {
    const ok = path ? await httpAnswers(port, path) : await portAnswers(port);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
  return false;
}

export const serviceUrl = (port: number, path = '/') => `http://${HOST}:${port}${path}`;
