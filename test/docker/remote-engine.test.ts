/**
 * A lab on a remote Docker engine (README, "Where steps run", "On a remote engine"), for real: a
 * second dockerd of this test's own, reachable only on loopback TCP, with a bridge of its own so it
 * can publish ports. The runner is started with DOCKER_HOST pointing at it, so its lab can only
 * get the workspace through the engine (a volume of its own, copied with `docker cp`), never by
 * bind-mounting the runner's folder. Proven through the runner's HTTP API: a file step's file
 * lands in the lab's volume, a shell step sees it, what a step writes comes back to the Files
 * panel, a Files-panel save reaches the lab, Django's runserver answers on the published port, and
 * Reset removes the lab and its volumes and nothing else; the main engine never holds anything of it.
 *
 * The lab has its own name and the ports 18000 and 18080, so it never meets myserver01 or the
 * ports 8000 and 80 of a runner in use. The second engine and its folders go at the end, also on
 * failure. Needs root (dockerd, `ip link`); skipped otherwise.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import type { RunnerEvent, StepState, WorkspaceTree } from '../../contract/protocol.ts';
import { collectContent } from '../../src/steps/collect.ts';
import { docker } from '../../runner/engine/engine.ts';
import { LAB_ENGINE_IMAGE } from '../../runner/images/recipes.ts';
import { engineVolume, workspaceVolume } from '../../runner/targets/lab-container.ts';
import { EventTap } from '../support/event-tap.ts';
import { startRunnerProcess, type RunningRunner } from '../support/runner-process.ts';

const isRoot = process.getuid?.() === 0;
const LAB = `remote-lab-${process.pid}`;
const DJANGO = 18_000;
const HTTP = 18_080;
const dir = mkdtempSync(path.join(os.tmpdir(), 'remote-engine-'));
// A bridge of the engine's own (the machine's docker0 is the main engine's, never touched).
const BRIDGE = `rte${process.pid % 100_000}`;
const SUBNET = `10.213.${(process.pid % 200) + 20}`;

const CHAPTER = `---
title: Remote lab
---

\`\`\`text {id=remote-file file=notes/hello.txt}
written by a file step
\`\`\`

\`\`\`sh {id=remote-shell cwd=notes}
cat hello.txt
echo made in the lab > from-lab.txt
\`\`\`

\`\`\`sh {id=remote-show cwd=notes}
cat hello.txt
\`\`\`

\`\`\`sh {id=remote-nginx port=80 ready=/ timeout=240s requires=docker}
docker run -d -p 80:80 --name web nginx
\`\`\`

\`\`\`sh {id=remote-django background port=8000 ready=/ timeout=90s}
django-admin startproject mysite && cd mysite && exec python3 manage.py runserver 0.0.0.0:8000
\`\`\`
`;

let engine: ChildProcess | undefined;
let endpoint = '';
let runner: RunningRunner | undefined;
let steps: { id: string; hash: string }[] = [];
let chapter = '';

/** The last resort: the engine killed at once, its bridge removed (after() does it gracefully). */
function killEngineNow(): void {
  if (engine && engine.exitCode === null) engine.kill('SIGKILL');
  try {
    execFileSync('ip', ['link', 'del', BRIDGE], { stdio: 'ignore' });
  } catch {
    // gone already
  }
}

/** `docker` on the second engine. */
const remote = (args: string[]) => docker(['-H', endpoint, ...args]);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(check: () => Promise<T | undefined | false>, what: string, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${what} within ${ms / 1000} s${last ? ` (${String(last)})` : ''}`);
}

/** Nothing of the lab on the main engine: no container, no volume (the workspace is never bind-mounted there). */
async function assertMainEngineUntouched(): Promise<void> {
  const containers = await docker(['ps', '-a', '--filter', `name=${LAB}`, '--format', '{{.Names}}']);
  const volumes = await docker(['volume', 'ls', '--filter', `name=${LAB}`, '--format', '{{.Name}}']);
  assert.equal(containers + volumes, '', `the main engine holds ${containers} ${volumes}`);
}

async function run(id: string, background = false): Promise<{ end: StepState; output: string }> {
  const tap = new EventTap(`${runner!.url}/api/events?token=${runner!.token}`);
  await tap.opened;
  const step = steps.find((s) => s.id === id)!;
  const response = await runner!.api('/api/runs', { json: { id, hash: step.hash } });
  assert.equal(response.status, 202, await response.clone().text());
  const { runId } = (await response.json()) as { runId: string };
  const done = await tap.waitFor(
    (e) => 'runId' in e && e.runId === runId && (e.type === 'run-end' || (background && e.type === 'ready')),
    240_000,
  );
  const end =
    done.type === 'run-end'
      ? done.state
      : ((await (await runner!.api('/api/state')).json()) as { steps: Record<string, StepState> }).steps[id]!;
  const output = tap.output(runId);
  tap.close();
  return { end, output };
}

describe(
  'a lab on a remote engine',
  { skip: isRoot ? false : 'needs root: it starts a second dockerd and a bridge', timeout: 600_000 },
  () => {
    before(async () => {
      const port = await freePort();
      endpoint = `tcp://127.0.0.1:${port}`;
      execFileSync('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
      execFileSync('ip', ['addr', 'add', `${SUBNET}.1/24`, 'dev', BRIDGE]);
      execFileSync('ip', ['link', 'set', BRIDGE, 'up']);
      mkdirSync(path.join(dir, 'data'));
      const log = openSync(path.join(dir, 'dockerd.log'), 'a');
      // No iptables of its own (the main engine's rules stay as they are): ports are published by
      // docker-proxy, which reaches the lab over this engine's bridge.
      engine = spawn(
        'dockerd',
        [
          '--data-root',
          path.join(dir, 'data'),
          '--exec-root',
          path.join(dir, 'exec'),
          '--pidfile',
          path.join(dir, 'dockerd.pid'),
          '-H',
          endpoint,
          `--bridge=${BRIDGE}`,
          '--iptables=false',
          '--ip-forward=false',
          '--ip-masq=false',
        ],
        { stdio: ['ignore', log, log] },
      );
      // Should this process end without its after() (a test runner's timeout), the engine goes with it.
      process.once('exit', killEngineNow);
      for (const signal of ['SIGTERM', 'SIGINT'] as const)
        process.once(signal, () => {
          killEngineNow();
          process.exit(1);
        });
      await until(() => remote(['version', '--format', '{{.Server.Version}}']), 'the second engine answers', 30_000);

      // What Reset must leave: a volume and a container of the learner's own on that engine.
      await remote(['volume', 'create', `learners-own-${process.pid}`]);

      const content = path.join(dir, 'content');
      mkdirSync(content);
      writeFileSync(path.join(content, 'remote.mdx'), CHAPTER);
      const manifest = collectContent(content, content);
      steps = manifest.steps;
      chapter = manifest.chapters[0]!.id;
      const manifestFile = path.join(dir, 'steps.json');
      writeFileSync(manifestFile, JSON.stringify(manifest));
      runner = await startRunnerProcess({
        target: 'lab',
        args: [
          '--no-site',
          '--no-terminal',
          '--manifest',
          manifestFile,
          '--lab-name',
          LAB,
          '--lab-ports',
          `${DJANGO}:8000,${HTTP}:80`,
        ],
        // No --lab: the remote engine makes the isolated lab the default (whatever RUNNER_LAB the suite has).
        env: {
          DOCKER_HOST: endpoint,
          RUNNER_LAB: '',
          RUNNER_WORKSPACE_IN: '',
          TUTORIAL_PROFILE: 'offline',
          RUNNER_TOKEN: `remote-${process.pid}`,
        },
      });
    });

    after(async () => {
      await runner?.stop().catch(() => {});
      if (engine && engine.exitCode === null) {
        // Its containers first (a lab's nested engine takes a while to stop), then the engine.
        const ids = await remote(['ps', '-aq']).catch(() => '');
        if (ids) await remote(['rm', '-f', '-v', ...ids.split('\n')]).catch(() => {});
        const exited = new Promise((r) => engine!.once('exit', r));
        engine.kill('SIGTERM');
        const timer = setTimeout(() => engine!.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      try {
        execFileSync('ip', ['link', 'del', BRIDGE], { stdio: 'ignore' });
      } catch {
        // never made
      }
      // Mounts dockerd left behind would make the folder impossible to remove.
      try {
        execFileSync('sh', ['-c', `grep -o ' ${dir}/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`]);
      } catch {
        // none
      }
      rmSync(dir, { recursive: true, force: true });
      if (runner) rmSync(runner.workspace, { recursive: true, force: true });
    });

    it('says at start that the workspace travels in a volume, and runs an isolated lab there', async () => {
      assert.match(
        runner!.output(),
        /Workspace: in a Docker volume of the lab, copied in and out through the engine \(the engine at tcp:\/\/127\.0\.0\.1:\d+ is not on this machine's disk\)/,
      );
    });

    it("puts a file step's file in the lab's volume, where a shell step reads it", async () => {
      const written = await run('remote-file');
      assert.equal(written.end.status, 'ok', written.output);
      // The engine is new: the lab image came from this machine's engine, with progress.
      assert.match(
        written.output,
        /copying runnable-tutorial\/myserver01:trixie-engine from the engine at unix:\/\/\/var\/run\/docker\.sock.*\n(.*\n)*.*MB copied/,
      );
      // The lab (and its image, copied from this machine's engine if it was missing) is on the second engine.
      const mounts = await remote(['container', 'inspect', '--format', '{{json .Mounts}}', LAB]);
      const workspace = runner!.workspace;
      const real = JSON.parse(mounts) as { Type: string; Name?: string; Source: string; Destination: string }[];
      const atWorkspace = real.filter((m) => m.Destination === execFileSync('realpath', [workspace]).toString().trim());
      assert.deepEqual(
        atWorkspace.map((m) => [m.Type, m.Name]),
        [['volume', workspaceVolume(LAB)]],
        mounts,
      );
      assert.ok(!real.some((m) => m.Type === 'bind' && m.Source.startsWith(os.tmpdir())), mounts);
      const inVolume = await remote([
        'run',
        '--rm',
        '-v',
        `${workspaceVolume(LAB)}:/v:ro`,
        '--entrypoint',
        'cat',
        LAB_ENGINE_IMAGE,
        '/v/notes/hello.txt',
      ]);
      assert.equal(inVolume, 'written by a file step');

      const shell = await run('remote-shell');
      assert.equal(shell.end.status, 'ok', shell.output);
      assert.match(shell.output, /written by a file step/);
      await assertMainEngineUntouched();
    });

    it('brings what a step wrote back to the Files panel, and a save there to the lab', async () => {
      const tree = (await (await runner!.api('/api/files')).json()) as WorkspaceTree;
      const notes = tree.entries.find((e) => e.name === 'notes');
      assert.deepEqual(notes && 'children' in notes ? notes.children?.map((c) => c.name) : undefined, [
        'from-lab.txt',
        'hello.txt',
      ]);
      const file = (await (await runner!.api('/api/files/content?path=notes/from-lab.txt')).json()) as { text: string };
      assert.equal(file.text, 'made in the lab\n');
      assert.equal(readFileSync(path.join(runner!.workspace, 'notes/from-lab.txt'), 'utf8'), 'made in the lab\n');

      const saved = await runner!.api('/api/files/content', {
        method: 'PUT',
        json: { path: 'notes/hello.txt', text: 'saved from the page\n' },
      });
      assert.equal(saved.status, 200, await saved.clone().text());
      const shown = await run('remote-show');
      assert.match(shown.output, /saved from the page/);

      // The YAML bridge's script reached the lab's workspace too.
      const yaml = await runner!.api('/api/yaml', { json: { text: 'a: [1, 2]' } });
      assert.deepEqual(((await yaml.json()) as { value?: unknown }).value, { a: [1, 2] });
    });

    it('keeps both versions of a file changed on both sides since the last copy, and says so', async () => {
      const root = execFileSync('realpath', [runner!.workspace]).toString().trim();
      writeFileSync(path.join(root, 'notes/hello.txt'), 'changed on the runner\n');
      await remote(['exec', LAB, 'sh', '-c', `echo changed in the lab > ${root}/notes/hello.txt`]);
      const tap = new EventTap(`${runner!.url}/api/events?token=${runner!.token}`);
      await tap.opened;
      await runner!.api('/api/files'); // the Files panel's read brings both sides level
      const told = await tap.waitFor((e: RunnerEvent) => e.type === 'progress' && e.task === 'lab', 10_000);
      tap.close();
      assert.match(
        told.type === 'progress' ? told.message : '',
        /notes\/hello\.txt was changed both here and in the lab/,
      );
      for (const [file, text] of [
        ['notes/hello.txt', 'changed on the runner'],
        ['notes/hello.txt.from-lab', 'changed in the lab'],
      ]) {
        assert.equal(readFileSync(path.join(root, file!), 'utf8'), `${text}\n`);
        assert.equal(await remote(['exec', LAB, 'cat', `${root}/${file}`]), text);
      }
    });

    it("serves Django's runserver in the lab on the published port of the engine's host", async () => {
      const served = await run('remote-django', true);
      assert.equal(served.end.status, 'ok', served.output);
      assert.match(served.output, new RegExp(`ready: http://127\\.0\\.0\\.1:${DJANGO}/`));
      const page = await fetch(`http://127.0.0.1:${DJANGO}/`);
      assert.match(await page.text(), /Django/);
      // The project startproject made (in notes/, where the session's last step left it) came back
      // to the runner's folder while its server runs.
      await until(
        async () => {
          const tree = (await (await runner!.api('/api/files')).json()) as WorkspaceTree;
          const notes = tree.entries.find((e) => e.name === 'notes');
          return notes && 'children' in notes && notes.children?.some((e) => e.name === 'mysite');
        },
        'notes/mysite/ in the Files panel',
        10_000,
      );
      assert.ok(existsSync(path.join(runner!.workspace, 'notes/mysite/manage.py')));
      await assertMainEngineUntouched();
    });

    it("runs `docker run -p 80:80` in the lab's own engine, from stand-ins copied to the remote engine", async () => {
      const started = Date.now();
      const nginx = await run('remote-nginx');
      assert.equal(nginx.end.status, 'ok', nginx.output);
      assert.match(nginx.output, /copying nginx:latest from the engine at unix:\/\/\/var\/run\/docker\.sock/);
      assert.doesNotMatch(nginx.output, /downloading packages/); // copied, not built there
      assert.match(nginx.output, new RegExp(`ready: http://127\\.0\\.0\\.1:${HTTP}/`));
      assert.match(await (await fetch(`http://127.0.0.1:${HTTP}/`)).text(), /nginx/i);
      console.log(`docker step with the image store filled on the remote engine: ${(Date.now() - started) / 1000} s`);
      await assertMainEngineUntouched();
    });

    it("Reset this chapter removes its folder in the lab's volume too", async () => {
      const tap = new EventTap(`${runner!.url}/api/events?token=${runner!.token}`);
      await tap.opened;
      assert.equal((await runner!.api(`/api/chapters/${chapter}/reset`, { json: {} })).status, 202);
      await tap.waitFor((e: RunnerEvent) => e.type === 'progress' && e.task === 'reset' && e.final === true, 60_000);
      tap.close();
      const root = execFileSync('realpath', [runner!.workspace]).toString().trim();
      assert.ok(!existsSync(path.join(root, 'notes')));
      await assert.rejects(remote(['exec', LAB, 'test', '-e', `${root}/notes`]));
      await remote(['exec', LAB, 'test', '-d', `${root}/home`]); // the rest stays
    });

    it('Reset removes the lab and its volumes, and nothing else on that engine', async () => {
      const tap = new EventTap(`${runner!.url}/api/events?token=${runner!.token}`);
      await tap.opened;
      assert.equal((await runner!.api('/api/reset', { json: {} })).status, 202);
      await tap.waitFor((e: RunnerEvent) => e.type === 'progress' && e.task === 'reset' && e.final === true, 120_000);
      tap.close();
      const containers = await remote(['ps', '-a', '--filter', `name=${LAB}`, '--format', '{{.Names}}']);
      assert.equal(containers, '');
      const volumes = (await remote(['volume', 'ls', '--format', '{{.Name}}'])).split('\n');
      assert.ok(!volumes.includes(workspaceVolume(LAB)), volumes.join(' '));
      assert.ok(!volumes.includes(engineVolume(LAB)), volumes.join(' '));
      assert.ok(volumes.includes(`learners-own-${process.pid}`), volumes.join(' '));
      assert.ok(await remote(['image', 'inspect', '--format', '{{.Id}}', LAB_ENGINE_IMAGE]));
      assert.ok(!existsSync(path.join(runner!.workspace, 'notes')));
      await assertMainEngineUntouched();
    });
  },
);
