/**
 * Does a port answer on this machine? A TCP connect, or any HTTP response (a 404 still proves a
 * server is serving). Used by readiness checks, the preflight and the internet probe alike; it
 * knows nothing of runs, so every layer may use it.
 */
import http from 'node:http';
import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

export function portAnswers(port: number, timeoutMs = 500, host = LOOPBACK): Promise<boolean> {
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

export function httpAnswers(port: number, path: string, timeoutMs = 2000, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host, port, path, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(true);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}
