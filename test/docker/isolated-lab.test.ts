/**
 * The isolated lab with the real engine: the lab runs a Docker engine of its own, pulls the
 * chapters' images from the shared store, and what listens in it (a server in the lab, a container
 * of its engine with -p) answers on this machine's 127.0.0.1. It cannot see the host's engine, and
 * removing it takes its engine's state while a container of the learner's own stays.
 *
 * The lab here has a name and host ports of its own (as a classroom's learners do), so the test
 * never touches myserver01 or ports 8000 and 80 of a runner in use on this machine.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { docker } from '../../runner/engine/engine.ts';
import { httpAnswers } from '../../runner/net/port-probe.ts';
import { engineVolume, LAB_MODE_LABEL } from '../../runner/targets/lab-container.ts';
import { LAB_CONTAINER, LabTarget } from '../../runner/targets/lab.ts';
import { labListens, tutorialContainers, tutorialEngine } from '../../runner/tutorial-docker.ts';
import { childOutput } from './child-output.ts';

const workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'isolated-lab-')));
const home = path.join(workspace, 'home');
mkdirSync(home);
const name = `isolated-lab-test-${process.pid}`;
const HTTP = 18_080;
const DJANGO = 18_000;
const lab = new LabTarget({
  workspace,
  profile: 'offline',
  mode: 'isolated',
  name,
  hostPorts: { 80: HTTP, 8000: DJANGO },
});
const learnersOwn = `learners-own-${process.pid}`;
let runs = 0;

function sh(script: string) {
  const runId = `isolated-${process.pid}-${++runs}`;
  return childOutput(lab.spawn(['bash', '-c', script], { cwd: workspace, env: lab.baseEnv(home), runId }));
}

async function body(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  return response.text();
}

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what} within ${ms / 1000} s`);
}

describe('isolated lab', { timeout: 600_000 }, () => {
  before(async () => {
    await lab.ensureReady();
    await lab.prepareImages(() => {});
    // A container of the learner's own on the host's engine, which nothing may touch.
    await docker(['run', '-d', '--name', learnersOwn, 'python:3.13', 'sleep', '600']);
  });
  after(async () => {
    await docker(['rm', '-f', name, learnersOwn]).catch(() => {});
    await docker(['volume', 'rm', engineVolume(name)]).catch(() => {});
    rmSync(workspace, { recursive: true, force: true });
  });

  it('runs its own engine, in its own network, with no way to the host engine', async () => {
    const inspect = await docker([
      'container',
      'inspect',
      '--format',
      '{{.HostConfig.NetworkMode}} {{.HostConfig.Privileged}} {{index .Config.Labels "' + LAB_MODE_LABEL + '"}}',
      name,
    ]);
    assert.equal(inspect, 'default false isolated');
    const mounts = await docker(['container', 'inspect', '--format', '{{json .Mounts}}', name]);
    assert.ok(!mounts.includes('docker.sock'), mounts);
    const out = await sh('docker info --format "{{.Name}}"; docker ps -a --format "{{.Names}}"');
    assert.equal(out.code, 0, out.stderr);
    // Its engine is named after the lab and holds none of the host's containers (not the lab, not the learner's).
    assert.equal(out.stdout.trim(), LAB_CONTAINER);
  });

  it('pulls the chapters images from the shared store, offline', async () => {
    const out = await sh('docker pull -q nginx:latest && docker image ls --format "{{.Repository}}:{{.Tag}}"');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /nginx:latest/);
  });

  it("publishes a container's -p 80:80 of the lab's engine on the learner's port", async () => {
    const out = await sh('docker run -d --name web -p 80:80 nginx:latest');
    assert.equal(out.code, 0, out.stderr);
    await until(() => httpAnswers(HTTP, '/'), `127.0.0.1:${HTTP} answers`);
    assert.match(await body(HTTP), /Welcome to nginx/);
    assert.equal(await labListens(80, name), true);
    // The page lists it from the lab's engine, labelled by the shim; the host's engine has no such container.
    const listed = await tutorialContainers(tutorialEngine(true, name));
    assert.deepEqual(
      listed.map((c) => [c.name, c.hostPorts]),
      [['web', [80]]],
    );
    assert.equal(await docker(['container', 'ls', '-q', '--filter', 'name=^web$']), '');
  });

  it("publishes a server started in the lab on 8000 (runserver 0.0.0.0:8000) on the learner's port", async () => {
    writeFileSync(path.join(workspace, 'hello.txt'), 'from the workspace\n');
    assert.equal(await labListens(8000, name), false, 'nothing listens on 8000 in the lab yet');
    assert.equal(await httpAnswers(DJANGO, '/'), false, 'the published port answers no HTTP with no one behind it');
    const runId = `isolated-${process.pid}-server`;
    const server = lab.spawn(['python3', '-m', 'http.server', '--bind', '0.0.0.0', '8000'], {
      cwd: workspace,
      env: lab.baseEnv(home),
      runId,
    });
    try {
      await until(() => httpAnswers(DJANGO, '/'), `127.0.0.1:${DJANGO} answers`);
      assert.equal(await (await fetch(`http://127.0.0.1:${DJANGO}/hello.txt`)).text(), 'from the workspace\n');
      assert.equal(await labListens(8000, name), true);
    } finally {
      await lab.killRun(runId, 500);
      server.kill();
    }
  });

  it("removing the lab takes its engine's state, and leaves the learner's own container", async () => {
    await lab.remove();
    assert.equal(await docker(['container', 'ls', '-aq', '--filter', `name=^${name}$`]), '');
    assert.equal(await docker(['volume', 'ls', '-q', '--filter', `name=^${engineVolume(name)}$`]), '');
    assert.equal(await docker(['container', 'inspect', '--format', '{{.State.Running}}', learnersOwn]), 'true');
  });

  it('comes back on the next step, with the workspace', async () => {
    await lab.ensureReady();
    const out = await sh('cat hello.txt && docker ps -aq | wc -l');
    assert.equal(out.stdout, 'from the workspace\n0\n');
  });
});
