/**
 * Classroom mode with the real engine, through `npm start -- --classroom 2` (runner/launch.mjs):
 * each learner's token opens only their own runner, the instructor's only the instructor page;
 * labs cannot reach each other's network; limits hold for what runs inside a lab's own engine;
 * Reset of one learner leaves the other; a freed seat gets a new token and goes back to the join
 * link; an idle lab is stopped and comes back with the workspace;
 * the end of the class leaves nothing of any learner.
 *
 * Its labs have names and ports of their own (myserver01-learner-k, ports from a base of its own),
 * so it never touches myserver01 or ports 8000 and 80 of a runner in use on this machine.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { Manifest } from '../../contract/manifest.ts';
import { TOKEN_HEADER } from '../../contract/protocol.ts';
import { docker } from '../../runner/engine/engine.ts';
import { engineVolume } from '../../runner/targets/lab-container.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'dist/steps.json'), 'utf8')) as Manifest;
const workspace = mkdtempSync(path.join(os.tmpdir(), 'classroom-'));
const portBase = 30_000 + (process.pid % 300) * 100;

interface Link {
  url: URL;
  token: string;
  lab?: string;
}
let runner: ChildProcess;
let output = '';
let instructor: Link;
let joinUrl = '';
const learners: Link[] = [];

async function call(link: Link, pathname: string, token = link.token, init: { method?: string; json?: unknown } = {}) {
  return fetch(new URL(pathname, link.url), {
    method: init.method ?? 'GET',
    headers: { [TOKEN_HEADER]: token, 'content-type': 'application/json' },
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
  });
}

async function runStep(link: Link, id: string): Promise<string> {
  const step = manifest.steps.find((s) => s.id === id)!;
  const started = await call(link, '/api/runs', link.token, { method: 'POST', json: { id, hash: step.hash } });
  assert.equal(started.status, 202, await started.text());
  for (let i = 0; i < 600; i++) {
    const state = (await (await call(link, '/api/state')).json()) as {
      steps: Record<string, { status: string; message?: string }>;
    };
    const status = state.steps[id]?.status;
    if (status && status !== 'running') {
      if (status === 'failed') console.error(`${id}: ${state.steps[id]?.message}`);
      return status;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return 'timeout';
}

/** The status a WebSocket upgrade of the learner's terminal gets with `token` (101: accepted). */
function upgrade(link: Link, token: string): Promise<number> {
  const url = new URL('/api/terminal', link.url);
  url.protocol = 'ws:';
  url.search = '';
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers: { [TOKEN_HEADER]: token, origin: link.url.origin } });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => resolve(0));
  });
}

async function inLab(lab: string, script: string): Promise<{ code: number; out: string }> {
  return docker(['exec', lab, 'bash', '-c', script]).then(
    (out) => ({ code: 0, out }),
    (error: { exitCode?: number; stderr?: string }) => ({ code: error.exitCode ?? -1, out: error.stderr ?? '' }),
  );
}

describe('classroom', { timeout: 900_000 }, () => {
  before(async () => {
    runner = spawn(
      process.execPath,
      [
        'runner/launch.mjs',
        '--classroom',
        '2',
        '--port',
        '0',
        '--no-site',
        '--workspace',
        workspace,
        '--lab-port-base',
        String(portBase),
        '--lab-memory',
        '400m',
        '--lab-pids',
        '500',
        '--idle-minutes',
        '0',
      ],
      { cwd: ROOT, env: { ...process.env, TUTORIAL_PROFILE: 'offline' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    runner.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    runner.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 120_000;
    while (!/learner-2: /.test(output)) {
      if (Date.now() > deadline || runner.exitCode !== null) assert.fail(`no classroom links:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const link = (line: RegExp): Link => {
      const match = line.exec(output);
      assert.ok(match, `${line} in\n${output}`);
      const url = new URL(match[1]!);
      return { url, token: url.searchParams.get('token')!, lab: match[2] };
    };
    instructor = link(/Instructor: (\S+)/);
    learners.push(link(/learner-1: (\S+) {2}\(lab (\S+);/), link(/learner-2: (\S+) {2}\(lab (\S+);/));
  });

  after(async () => {
    if (runner.exitCode === null) runner.kill('SIGTERM');
    for (const learner of learners) {
      await docker(['rm', '-f', learner.lab!]).catch(() => {});
      await docker(['volume', 'rm', engineVolume(learner.lab!)]).catch(() => {});
      await docker(['network', 'rm', learner.lab!]).catch(() => {});
    }
    rmSync(workspace, { recursive: true, force: true });
  });

  it('prints one instructor link and a link per learner, each with a token and port of its own', () => {
    const tokens = new Set([instructor.token, ...learners.map((l) => l.token)]);
    const ports = new Set([instructor.url.port, ...learners.map((l) => l.url.port)]);
    assert.equal(tokens.size, 3);
    assert.equal(ports.size, 3);
    assert.match(output, new RegExp(`learner-1: .*ports 80→${portBase + 10}, 8000→${portBase + 11}`));
  });

  it("hands out seats through one join link made with the instructor's token, and none with a learner's", async () => {
    const [one] = learners as [Link, Link];
    assert.equal((await call(instructor, '/api/classroom/join', one.token, { method: 'POST' })).status, 403);
    const made = await call(instructor, '/api/classroom/join', instructor.token, { method: 'POST' });
    const { url } = (await made.json()) as { url: string };
    joinUrl = url;
    const seats = [];
    for (let i = 0; i < 2; i++) {
      const joined = await fetch(url, { redirect: 'manual' });
      assert.equal(joined.status, 303);
      seats.push(joined.headers.get('location'));
    }
    assert.deepEqual(
      seats,
      learners.map((l) => l.url.href),
      'each browser gets a printed seat of its own',
    );
    assert.equal((await fetch(url, { redirect: 'manual' })).status, 409, 'the class is full');
  });

  it("refuses a learner's token at another learner's runner and at the instructor's, and the instructor's at a learner's", async () => {
    const [one, two] = learners as [Link, Link];
    for (const pathname of ['/api/state', '/api/files', '/api/files/content?path=ch05', '/api/session-log'])
      assert.equal((await call(two, pathname, one.token)).status, 403, `${pathname} with another learner's token`);
    assert.equal(await upgrade(two, one.token), 403, "the terminal with another learner's token");
    assert.equal(await upgrade(two, two.token), 101, 'their own (it then says the terminal is off in a class)');
    assert.equal((await call(one, '/api/state', instructor.token)).status, 403);
    assert.equal((await call(instructor, '/api/classroom', one.token)).status, 403);
    assert.equal((await call(one, '/api/state')).status, 200);
    assert.equal((await call(instructor, '/api/classroom')).status, 200);
    // A learner may not move their steps onto the instructor's machine.
    const host = await call(one, '/api/target', one.token, { method: 'PUT', json: { name: 'host' } });
    assert.equal(host.status, 403);
  });

  it("runs each learner's steps in their own lab and workspace; the instructor sees who did what", async () => {
    const [one, two] = learners as [Link, Link];
    assert.equal(await runStep(one, 'env-tree-demo'), 'ok');
    assert.equal(await runStep(two, 'yaml-make-folder'), 'ok');
    assert.ok(existsSync(path.join(workspace, 'learner-1', 'tree-demo')));
    assert.ok(!existsSync(path.join(workspace, 'learner-2', 'tree-demo')));
    assert.ok(existsSync(path.join(workspace, 'learner-2', 'ch05', 'ex01')), "learner-2's step made its folder");
    const summary = (await (await call(instructor, '/api/classroom')).json()) as {
      learners: { id: string; labRunning: boolean; chapters: { id: string; ok: number }[] }[];
    };
    const ok = (id: string, chapter: string) =>
      summary.learners.find((l) => l.id === id)!.chapters.find((c) => c.id === chapter)!.ok;
    assert.equal(ok('learner-1', 'environment'), 1);
    assert.equal(ok('learner-2', 'environment'), 0);
    assert.equal(ok('learner-2', 'yaml'), 1);
    assert.ok(summary.learners.every((l) => l.labRunning));
  });

  it("cannot reach another learner's lab over the network", async () => {
    const [one, two] = learners as [Link, Link];
    await docker(['exec', '-d', two.lab!, 'python3', '-m', 'http.server', '8000']);
    const ip = await docker([
      'inspect',
      '--format',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      two.lab!,
    ]);
    const probe = `curl -s -m 3 -o /dev/null -w '%{http_code}' http://${ip}:8000/`;
    let own = { code: -1, out: '' };
    for (let i = 0; i < 20 && own.out !== '200'; i++) {
      own = await inLab(two.lab!, probe);
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(own.out, '200', 'the lab answers on its own address');
    const other = await inLab(one.lab!, probe);
    assert.notEqual(other.code, 0, `learner-1's lab reached learner-2's: ${other.out}`);
  });

  it('limits each lab, and the limit holds for the containers of its own engine', async () => {
    const lab = learners[0]!.lab!;
    const limits = await docker(['inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}', lab]);
    assert.equal(limits, `${400 * 2 ** 20} 500`);
    // 600 MB in a container of the lab's engine: over the lab's 400 MB, so the kernel ends it.
    const hog = await inLab(
      lab,
      'docker pull -q python:3.13 >/dev/null && docker run --rm python:3.13 python3 -c "x = bytearray(600 * 2**20); print(len(x))"',
    );
    assert.equal(hog.code, 137, `expected the OOM killer (137), got ${hog.code}: ${hog.out}`);
  });

  it("resets one learner's lab and leaves the other's", async () => {
    const [one, two] = learners as [Link, Link];
    const reset = await call(instructor, '/api/classroom/learners/learner-1/reset', instructor.token, {
      method: 'POST',
    });
    assert.equal(reset.status, 200, await reset.text());
    assert.equal(await docker(['container', 'ls', '-aq', '--filter', `name=^${one.lab}$`]), '');
    assert.equal(await docker(['volume', 'ls', '-q', '--filter', `name=^${engineVolume(one.lab!)}$`]), '');
    assert.equal(await docker(['inspect', '--format', '{{.State.Running}}', two.lab!]), 'true');
    assert.ok(existsSync(path.join(workspace, 'learner-2', 'ch05', 'ex01')), "learner-2's workspace is untouched");
  });

  it('frees a seat: the old link stops working, the work is gone, and the join link hands the seat out again', async () => {
    const [one, two] = learners as [Link, Link];
    assert.equal(await runStep(one, 'yaml-make-folder'), 'ok');
    const freed = await call(instructor, '/api/classroom/learners/learner-1/free', instructor.token, {
      method: 'POST',
    });
    const answer = await freed.text();
    assert.equal(freed.status, 200, answer);
    const { url } = JSON.parse(answer) as { url: string };
    const token = new URL(url).searchParams.get('token')!;
    assert.notEqual(token, one.token);
    assert.equal((await call(one, '/api/state')).status, 403, 'the old token is refused');
    assert.equal((await call(one, '/api/state', token)).status, 200);
    assert.ok(!existsSync(path.join(workspace, 'learner-1', 'ch05')), "the previous holder's work is gone");
    assert.equal(await docker(['container', 'ls', '-aq', '--filter', `name=^${one.lab}$`]), '');
    const joined = await fetch(joinUrl, { redirect: 'manual' });
    assert.equal(joined.status, 303, 'the freed seat is handed out again');
    assert.equal(joined.headers.get('location'), url);
    const room = (await (await call(instructor, '/api/classroom')).json()) as { joined: string[] };
    assert.deepEqual(room.joined.sort(), ['learner-1', 'learner-2'], 'both seats are taken again');
    assert.equal((await call(two, '/api/state')).status, 200, "the other learner's link still works");
    one.token = token;
  });

  it('stops an idle lab, which comes back on the next step with the workspace', async () => {
    const two = learners[1]!;
    assert.equal(await runStep(two, 'yaml-make-folder'), 'ok'); // the lab runs
    const set = await call(instructor, '/api/classroom/idle', instructor.token, {
      method: 'POST',
      json: { minutes: 0.01 },
    });
    assert.equal(set.status, 200);
    let running = 'true';
    for (let i = 0; i < 100 && running === 'true'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      running = await docker(['inspect', '--format', '{{.State.Running}}', two.lab!]);
    }
    assert.equal(running, 'false', 'the idle lab was stopped');
    await call(instructor, '/api/classroom/idle', instructor.token, { method: 'POST', json: { minutes: 0 } });
    assert.equal(await runStep(two, 'yaml-write-pod'), 'ok');
    assert.equal(await docker(['inspect', '--format', '{{.State.Running}}', two.lab!]), 'true');
    assert.ok(existsSync(path.join(workspace, 'learner-2', 'ch05', 'ex01', 'yaml_practice.yml')));
  });

  it('leaves nothing of any learner when the class ends', async () => {
    runner.kill('SIGTERM');
    await new Promise((resolve) => (runner.exitCode !== null ? resolve(null) : runner.once('exit', resolve)));
    for (const learner of learners) {
      assert.equal(await docker(['container', 'ls', '-aq', '--filter', `name=^${learner.lab}$`]), '');
      assert.equal(await docker(['volume', 'ls', '-q', '--filter', `name=^${engineVolume(learner.lab!)}$`]), '');
      assert.equal(await docker(['network', 'ls', '-q', '--filter', `name=^${learner.lab}$`]), '');
    }
  });
});
