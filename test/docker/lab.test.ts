/**
 * The shared lab (--lab shared) with the real engine: the container myserver01 starts (replacing one of another
 * workspace), runs commands through `docker exec` and steps in one long-lived session kernel, talks to the host's engine, kills whole runs and
 * labels what steps create. It removes the lab container and its temporary workspace afterwards.
 */
import { textOf } from '../../contract/messages.ts';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { docker } from '../../runner/engine/engine.ts';
import { closeKernels, kernelFor } from '../../runner/session/kernels.ts';
import { sessionFiles, type SessionFiles } from '../../runner/session/session-files.ts';
import { LAB_CONTAINER, LabTarget, stopLab } from '../../runner/targets/lab.ts';
import { Workspace } from '../../runner/workspace.ts';
import { childOutput } from './child-output.ts';

const workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lab-workspace-')));
const home = path.join(workspace, 'home');
mkdirSync(home);
const lab = new LabTarget({ workspace, profile: 'offline', mode: 'shared' });
let runs = 0;

function run(argv: string[], cwd = workspace, env = lab.baseEnv(home)) {
  const runId = `test-${process.pid}-${++runs}`;
  return { runId, child: lab.spawn(argv, { cwd, env, runId }) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let steps = 0;

/** Runs a shell step in the target's session kernel; returns its exit code and output. */
async function labStep(target: LabTarget, files: SessionFiles, code: string, signal = new AbortController().signal) {
  const file = path.join(files.codeDir, `lab-step-${++steps}.sh`);
  writeFileSync(file, code);
  let text = '';
  const exitCode = await kernelFor(target, files, workspace).run({
    runId: `test-${process.pid}-step-${steps}`,
    mode: 'shell',
    cwd: '',
    file,
    env: target.baseEnv(home),
    emit: (_stream, chunk) => (text += chunk),
    signal,
  });
  return { code: exitCode, text };
}

async function processesInLab(): Promise<string> {
  return docker(['exec', LAB_CONTAINER, 'ps', '-eo', 'pid,args']);
}

describe('lab target', { timeout: 600_000 }, () => {
  const network = `runnable-tutorial-test-net-${process.pid}`;
  before(async () => {
    await lab.ensureReady();
  });
  after(async () => {
    closeKernels(lab);
    await docker(['network', 'rm', network]).catch(() => {});
    await docker(['rm', '-f', LAB_CONTAINER]).catch(() => {});
    rmSync(workspace, { recursive: true, force: true });
  });

  it('runs myserver01 from the lab image with the workspace at the same path', async () => {
    const out = await childOutput(run(['sh', '-c', 'hostname; pwd']).child);
    assert.deepEqual(out.stdout.split('\n').slice(0, 2), [LAB_CONTAINER, workspace]);
  });

  it('is ready again at once, reusing the running container', async () => {
    const id = await docker(['container', 'inspect', '--format', '{{.Id}}', LAB_CONTAINER]);
    const started = Date.now();
    await lab.ensureReady();
    assert.ok(Date.now() - started < 3000);
    assert.equal(await docker(['container', 'inspect', '--format', '{{.Id}}', LAB_CONTAINER]), id);
  });

  it('starts the same container again after stopLab', async () => {
    const id = await docker(['container', 'inspect', '--format', '{{.Id}}', LAB_CONTAINER]);
    await stopLab();
    assert.equal(await docker(['container', 'inspect', '--format', '{{.State.Running}}', LAB_CONTAINER]), 'false');
    const messages: string[] = [];
    await lab.ensureReady((m) => messages.push(textOf(m)));
    assert.deepEqual(messages, [`Starting ${LAB_CONTAINER}`]);
    assert.equal(
      await docker(['container', 'inspect', '--format', '{{.Id}} {{.State.Running}}', LAB_CONTAINER]),
      `${id} true`,
    );
  });

  it('has Python 3.13 as `python`, Django 4.2, tree and docker compose', async () => {
    const out = await childOutput(
      run(['bash', '-c', 'python --version && python -m django --version && tree --version && docker compose version'])
        .child,
    );
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^Python 3\.13\.\d+\n4\.2\.\d+\ntree v[\d.]+.*\nDocker Compose version/);
  });

  it('gives the process the session environment and the run id', async () => {
    const { runId, child } = run(['env']);
    const env = Object.fromEntries(
      (await childOutput(child)).stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    assert.equal(env.HOME, home);
    assert.equal(env.PATH?.split(':')[0], '/usr/local/sbin');
    assert.equal(env.PIP_NO_INDEX, '1');
    assert.equal(env.TUTORIAL_RUN_ID, runId);
  });

  it('talks to the host engine from inside', async () => {
    const out = await childOutput(run(['docker', 'version', '--format', '{{.Server.Version}}']).child);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), await docker(['version', '--format', '{{.Server.Version}}']));
  });

  it('labels what a step creates through the docker shim', async () => {
    const out = await childOutput(run(['docker', 'network', 'create', network]).child);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(
      await docker(['network', 'inspect', '--format', '{{index .Labels "runnable-tutorial"}}', network]),
      'true',
    );
  });

  it('kills a run with every child inside, and its local docker exec client', async () => {
    const { runId, child } = run(['bash', '-c', 'sleep 1000 & sleep 1000; wait']);
    const finished = childOutput(child);
    for (let i = 0; i < 50 && !/sleep 1000/.test(await processesInLab()); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal((await processesInLab()).match(/^\s*\d+ sleep 1000$/gm)?.length, 2);
    await lab.killRun(runId, 1000);
    const ended = await finished;
    assert.ok(ended.code !== 0 || ended.signal !== null, 'the client ended with the run');
    const left = await processesInLab();
    assert.doesNotMatch(left, /sleep 1000|bash -c/, left);
    assert.doesNotMatch(left, /defunct/, left);
  });

  it("gives what a step creates to the runner's own user, not to the lab's root", async () => {
    const learner = new LabTarget({ workspace, profile: 'offline', mode: 'shared', owner: '4242:4243' });
    await learner.ensureReady();
    const files = sessionFiles(new Workspace(workspace), 'lab-owner');
    const out = await labStep(learner, files, 'mkdir -p made/inside && echo hi > made/inside/file.txt\n');
    assert.equal(out.code, 0, out.text);
    for (const made of ['made', 'made/inside', 'made/inside/file.txt', path.relative(workspace, files.stateDir)]) {
      const { uid, gid } = statSync(path.join(workspace, made));
      assert.deepEqual([uid, gid], [4242, 4243], made);
    }
    closeKernels(learner);
  });

  it('runs steps in one long-lived session kernel that keeps the state (one docker exec)', async () => {
    const files = sessionFiles(new Workspace(workspace), 'lab');
    assert.equal((await labStep(lab, files, 'cd /tmp && export LAB_VAR=kept\nlab_fn() { echo "fn $1"; }\n')).code, 0);
    const client = kernelFor(lab, files, workspace).pid;
    const out = await labStep(lab, files, 'pwd; echo "$LAB_VAR"; lab_fn ok; echo "$PIP_NO_INDEX"\n');
    assert.deepEqual([out.code, out.text], [0, '/tmp\nkept\nfn ok\n1\n']);
    assert.equal(kernelFor(lab, files, workspace).pid, client, 'the same docker exec ran both steps');
  });

  it('cancels a step in the kernel, leaving nothing of it and the session intact', async () => {
    const files = sessionFiles(new Workspace(workspace), 'lab');
    const client = kernelFor(lab, files, workspace).pid;
    const abort = new AbortController();
    const running = labStep(lab, files, 'sleep 1000 & sleep 1000; wait\n', abort.signal);
    for (let i = 0; i < 50 && !/sleep 1000/.test(await processesInLab()); i++) await sleep(100);
    abort.abort();
    assert.equal((await running).code, null);
    const left = await processesInLab();
    assert.doesNotMatch(left, /sleep 1000/, left);
    const out = await labStep(lab, files, 'pwd; echo "$LAB_VAR"\n');
    assert.deepEqual([out.code, out.text], [0, '/tmp\nkept\n']);
    assert.equal(kernelFor(lab, files, workspace).pid, client, 'the kernel survived the cancel');
  });

  it('replaces a kernel killed inside the lab (kill -9); the next step starts from the saved state', async () => {
    const files = sessionFiles(new Workspace(workspace), 'lab');
    const inside = await docker(['exec', LAB_CONTAINER, 'pgrep', '-o', '-f', `${files.session} serve`]);
    await docker(['exec', LAB_CONTAINER, 'kill', '-9', inside.trim()]);
    const out = await labStep(lab, files, 'pwd; echo "$LAB_VAR"; lab_fn again\n');
    assert.deepEqual([out.code, out.text], [0, '/tmp\nkept\nfn again\n']);
    const now = await docker(['exec', LAB_CONTAINER, 'pgrep', '-o', '-f', `${files.session} serve`]);
    assert.notEqual(now.trim(), inside.trim());
  });

  it('recreates the container for another workspace', async () => {
    const other = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lab-workspace-other-')));
    const messages: string[] = [];
    try {
      await new LabTarget({ workspace: other, profile: 'offline', mode: 'shared' }).ensureReady((m) =>
        messages.push(textOf(m)),
      );
      assert.ok(
        messages.some((m) => m.includes(`does not mount the workspace ${other}`)),
        messages.join('\n'),
      );
    } finally {
      await lab.ensureReady();
      rmSync(other, { recursive: true, force: true });
    }
    const out = await childOutput(run(['pwd']).child);
    assert.equal(out.stdout.trim(), workspace);
  });
});
