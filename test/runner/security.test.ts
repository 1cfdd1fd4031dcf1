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

/** Writes `request` on a fresh connection; resolves with what came back and whether the runner closed it. */
function rawSocket(port: number, request: string): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => (socket.destroy(), resolve({ text, closedByServer: false })), 3000);
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.once('end', () => (clearTimeout(timer), socket.destroy(), resolve({ text, closedByServer: true })));
    socket.once('error', reject);
    socket.write(request);
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

  it('refuses Host variants that are not exactly a loopback name', async () => {
    const ask = (hostHeader: string) =>
      raw(runner, { path: '/api/health', headers: { host: hostHeader, 'x-runner-token': runner.token } });
    for (const name of [`localhost.:${runner.port}`, `localhost.evil.com:${runner.port}`, `[::2]:${runner.port}`]) {
      const response = await ask(name);
      assert.equal(response.status, 403, `${name}: ${response.body}`);
      assert.match(response.body, /not a loopback name/);
    }
    assert.equal((await ask(`[::1]:${runner.port}`)).status, 200, 'the IPv6 loopback literal is loopback');
    assert.equal((await ask(`LOCALHOST:${runner.port}`)).status, 200);
    // Without a Host header at all (HTTP/1.1 requires one): refused before any check passes.
    const answer = await rawSocket(runner.port, `GET /api/health HTTP/1.1\r\nx-runner-token: ${runner.token}\r\n\r\n`);
    assert.match(answer.text, /^HTTP\/1\.1 400/);
  });

  it('refuses an https: Origin and an empty Origin', async () => {
    for (const origin of [`https://${host()}`, '']) {
      const response = await raw(runner, {
        path: '/api/health',
        headers: { host: host(), origin, 'x-runner-token': runner.token },
      });
      assert.equal(response.status, 403, `Origin ${JSON.stringify(origin)}: ${response.body}`);
    }
  });

  it('refuses text/plain and application/jsonfoo bodies with 415, accepts JSON with a charset', async () => {
    const body = JSON.stringify({ id: 'no-such-step', hash });
    for (const type of ['text/plain', 'application/jsonfoo', 'application/json-seq', 'application/json; x=1']) {
      const response = await post(body, { 'content-type': type });
      assert.equal(response.status, 415, `${type}: ${response.body}`);
    }
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      assert.equal((await post(body, { 'content-type': type })).status, 404, type); // parsed, then: unknown step
    }
  });

  it('refuses body keys that only exist on the prototype (toString, constructor, __proto__)', async () => {
    for (const key of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const response = await post(`{"id":"say-hello","hash":"${hash}","${key}":"x"}`);
      assert.equal(response.status, 400, `${key}: ${response.body}`);
      assert.match(response.body, new RegExp(`unexpected field \\\\"${key}\\\\"`));
    }
    const missing = await post('{"hash":"x"}');
    assert.equal(missing.status, 400);
    assert.match(missing.body, /missing field \\"id\\"/);
  });

  it('answers a refusal at once and closes the connection without reading the body', async () => {
    for (const headers of [
      `x-runner-token: wrong\r\ncontent-type: application/json`,
      `x-runner-token: ${runner.token}\r\ncontent-type: text/plain`,
      `x-runner-token: ${runner.token}\r\ncontent-type: application/json\r\norigin: http://evil.example`,
    ]) {
      // Announces 10 MB and sends none of it: the answer must come anyway, then the end of the connection.
      const answer = await rawSocket(
        runner.port,
        `POST /api/runs HTTP/1.1\r\nhost: ${host()}\r\n${headers}\r\ncontent-length: 10000000\r\n\r\n`,
      );
      assert.match(answer.text, /^HTTP\/1\.1 4\d\d/, answer.text);
      assert.match(answer.text, /connection: close/i);
      assert.equal(answer.closedByServer, true, 'the runner kept the connection open to read the body');
    }
  });

  it('closes a connection whose headers arrive too slowly (server timeouts are set)', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: runner.port });
    await new Promise((r) => socket.once('connect', r));
    const started = Date.now();
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
    socket.on('error', () => {});
    socket.on('data', () => {});
    const header = `GET /api/health HTTP/1.1\r\nhost: ${host()}\r\nx-slow: `;
    let i = 0;
    const drip = setInterval(() => socket.writable && socket.write(header[i++ % header.length]!), 500);
    const limit = new Promise<number>((resolve) => setTimeout(() => resolve(-1), 20_000));
    const took = await Promise.race([closed, limit]);
    clearInterval(drip);
    socket.destroy();
    assert.ok(took > 0, 'the runner kept a slow-header connection open for 20 s');
  });

  it('allows 32 event streams at once and refuses the 33rd with 429', async () => {
    const streams = Array.from({ length: 32 }, () => runner.events());
    try {
      await Promise.all(streams.map((s) => s.opened));
      const response = await raw(runner, { path: `/api/events?token=${runner.token}`, headers: { host: host() } });
      assert.equal(response.status, 429, response.body);
    } finally {
      for (const s of streams) s.close();
    }
    await new Promise((r) => setTimeout(r, 200));
    const again = runner.events();
    await again.opened; // a closed stream frees its place
    again.close();
  });

  it('ends a step cancelled the moment it starts, every time (a cancel is never lost)', async () => {
    const tap = runner.events();
    await tap.opened;
    try {
      for (let i = 0; i < 8; i++) {
        const runId = await runner.start('sleepers');
        assert.equal((await runner.api(`/api/runs/${runId}/cancel`, { method: 'POST' })).status, 202);
        // `sleepers` sleeps for 1000 s and its timeout is 30 s: only the cancel ends it this soon.
        const end = await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId, 8_000);
        assert.equal(end.type === 'run-end' && end.state.status, 'cancelled', `attempt ${i + 1}`);
      }
    } finally {
      tap.close();
    }
  });

  it('refuses the same step started twice with 409, and cancels cleanly: unknown, twice, after the end', async () => {
    const sleepers = fixtureManifest().manifest.steps.find((s) => s.id === 'sleepers')!;
    const tap = runner.events();
    await tap.opened;
    const unknown = await runner.api('/api/runs/00000000-0000-0000-0000-000000000000/cancel', { method: 'POST' });
    assert.equal(unknown.status, 404);
    const runId = await runner.start('sleepers');
    const twice = await runner.api('/api/runs', { method: 'POST', json: { id: 'sleepers', hash: sleepers.hash } });
    assert.equal(twice.status, 409);
    assert.match(await twice.text(), /already running/);
    const first = await runner.api(`/api/runs/${runId}/cancel`, { method: 'POST' });
    const second = await runner.api(`/api/runs/${runId}/cancel`, { method: 'POST' });
    assert.equal(first.status, 202);
    assert.ok([202, 404].includes(second.status), `second cancel: ${second.status}`);
    const end = await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId);
    assert.equal(end.type === 'run-end' && end.state.status, 'cancelled');
    assert.equal(tap.received.filter((e) => e.type === 'run-end' && e.runId === runId).length, 1);
    const late = await runner.api(`/api/runs/${runId}/cancel`, { method: 'POST' });
    assert.equal(late.status, 404);
    tap.close();
  });

  it('drops an event-stream client that never reads instead of buffering for it without end', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: runner.port });
    await new Promise((r) => socket.once('connect', r));
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
    socket.write(`GET /api/events?token=${runner.token} HTTP/1.1\r\nhost: ${host()}\r\n\r\n`);
    socket.pause(); // never reads: the kernel buffers fill, then the runner's would
    try {
      for (let i = 0; i < 16 && !closed; i++) await runner.run('flood'); // the kernel's socket buffers hold several MiB first
      // Reading now drains what the kernel holds; a dropped client then sees the end.
      socket.resume();
      const deadline = Date.now() + 10_000;
      while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(closed, 'the runner still holds a stream nobody reads');
      assert.equal((await runner.api('/api/health')).status, 200);
    } finally {
      socket.destroy();
    }
  });

  it('refuses a YAML document whose aliases expand past the limit, quickly, with a readable message', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const bomb = levels.join('\n');
    assert.ok(bomb.length < 1000);
    const started = Date.now();
    const response = await runner.api('/api/yaml', { method: 'POST', json: { text: bomb } });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.ok(text.length < 10_000, `answered ${text.length} bytes`);
    const result = JSON.parse(text) as { ok: boolean; error?: { message: string; msg?: { code: string } } };
    assert.equal(result.ok, false);
    assert.match(result.error?.message ?? '', /aliases.*expand/i);
    // As a code too, so a Korean page says it in Korean (contract/messages.ts).
    assert.equal(result.error?.msg?.code, 'yaml.expands-too-far');
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    // An ordinary document with aliases still loads.
    const fine = await runner.api('/api/yaml', { method: 'POST', json: { text: 'base: &b {x: 1}\nuse: *b\n' } });
    assert.deepEqual(((await fine.json()) as { value: unknown }).value, { base: { x: 1 }, use: { x: 1 } });
  });

  it('survives a 60 KB YAML bomb (no RangeError collecting the answer)', async () => {
    const levels = [`a0: &a0 ["${'x'.repeat(1000)}"]`];
    for (let i = 1; i < 40; i++)
      levels.push(
        `a${i}: &a${i} [${Array(40)
          .fill(`*a${i - 1}`)
          .join(',')}]`,
      );
    const response = await runner.api('/api/yaml', { method: 'POST', json: { text: levels.join('\n') } });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { ok: boolean }).ok, false);
    assert.equal((await runner.api('/api/health')).status, 200);
  });

  it('ends a failed step with a 1 MiB line of output at once (failure hints are linear)', async () => {
    const started = Date.now();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the runner was still busy after 10 s')), 10_000),
    );
    const { end } = await Promise.race([runner.run('long-line-fail'), timeout]);
    assert.equal(end.status, 'failed');
    assert.ok(Date.now() - started < 10_000);
    assert.equal((await runner.api('/api/health')).status, 200);
  });

  it('says so, and exits, when its port is taken', async () => {
    const { code, stderr } = await refusedStart(['--port', String(runner.port), '--target', 'host']);
    assert.equal(code, 2, stderr);
    assert.match(stderr, new RegExp(`port ${runner.port} on 127\\.0\\.0\\.1 is already in use`));
  });
});
