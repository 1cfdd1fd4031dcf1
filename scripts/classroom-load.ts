/**
 * Load test of classroom mode (not part of `npm test`: it takes minutes and the whole machine).
 *
 *   node scripts/classroom-load.ts --learners 4 [--port-base 40000]
 *
 * Starts `npm start -- --classroom N` (runner/launch.mjs), sets the stage for every learner
 * (environment, yaml), then has all of them run the Django and Nginx chapters at the same time
 * through the API, as their pages would. Then checks for cross-talk: each learner's lab engine
 * holds only that learner's containers, and each learner's :8000 and :80 answer with that learner's
 * own page. Prints the time per learner; exit code 0 only when every step of every learner passed
 * and nothing leaked. Uses lab names and ports of its own, never myserver01, 8000 or 80.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Manifest } from '../contract/manifest.ts';
import { TOKEN_HEADER } from '../contract/protocol.ts';
import { docker } from '../runner/engine/engine.ts';

const { values } = parseArgs({
  options: { learners: { type: 'string', default: '4' }, 'port-base': { type: 'string', default: '40000' } },
});
const count = Number(values.learners);
const ROOT = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'dist/steps.json'), 'utf8')) as Manifest;
const workspace = mkdtempSync(path.join(os.tmpdir(), 'classroom-load-'));

interface Learner {
  id: string;
  url: URL;
  token: string;
  lab: string;
  ports: Record<string, number>;
}

const runner = spawn(
  process.execPath,
  [
    'runner/launch.mjs',
    '--classroom',
    String(count),
    '--port',
    '0',
    '--no-site',
    '--workspace',
    workspace,
    '--lab-port-base',
    values['port-base'],
    '--idle-minutes',
    '0',
  ],
  { cwd: ROOT, env: { ...process.env, TUTORIAL_PROFILE: 'offline' }, stdio: ['ignore', 'pipe', 'pipe'] },
);
let output = '';
runner.stdout.on('data', (d: Buffer) => (output += d.toString()));
runner.stderr.on('data', (d: Buffer) => (output += d.toString()));

let failures = 0;
try {
  const learners = await links();
  console.log(`classroom of ${count} up; setting the stage (environment, yaml) for each`);
  const stage = await Promise.all(learners.map((l) => runChapters(l, ['environment', 'yaml'])));
  failures += stage.flat().length;
  console.log('all learners: django-in-docker, then nginx-gunicorn, at the same time');
  const started = Date.now();
  const times = await Promise.all(
    learners.map(async (l) => {
      const t = Date.now();
      const failed = await runChapters(l, ['django-in-docker', 'nginx-gunicorn']);
      return { id: l.id, seconds: (Date.now() - t) / 1000, failed };
    }),
  );
  for (const t of times) {
    console.log(`  ${t.id}: ${t.seconds.toFixed(1)} s${t.failed.length ? `  FAILED: ${t.failed.join(', ')}` : ''}`);
    failures += t.failed.length;
  }
  console.log(`  wall clock for all: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  failures += await crossTalk(learners);
} finally {
  runner.kill('SIGTERM');
  await new Promise((resolve) => runner.once('exit', resolve));
  rmSync(workspace, { recursive: true, force: true });
}
console.log(failures ? `\n${failures} failure(s)` : '\nno failures, no cross-talk');
process.exit(failures ? 1 : 0);

async function links(): Promise<Learner[]> {
  const deadline = Date.now() + 300_000;
  while (!new RegExp(`learner-${count}: `).test(output)) {
    if (Date.now() > deadline || runner.exitCode !== null) throw new Error(`no classroom links:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return Array.from({ length: count }, (_, i) => {
    const match = new RegExp(`(learner-${i + 1}): (\\S+) {2}\\(lab (\\S+); ports ([^)]*)\\)`).exec(output)!;
    const url = new URL(match[2]!);
    const ports = Object.fromEntries(match[4]!.split(', ').map((pair) => pair.split('→').map(Number)));
    return { id: match[1]!, url, token: url.searchParams.get('token')!, lab: match[3]!, ports };
  });
}

async function call(learner: Learner, pathname: string, method = 'GET', json?: unknown): Promise<Response> {
  return fetch(new URL(pathname, learner.url), {
    method,
    headers: { [TOKEN_HEADER]: learner.token, 'content-type': 'application/json' },
    ...(json !== undefined && { body: JSON.stringify(json) }),
  });
}

/** Runs chapters one after the other through the API; returns the ids of steps that did not pass. */
async function runChapters(learner: Learner, chapters: string[]): Promise<string[]> {
  for (const chapter of chapters) {
    const response = await call(learner, `/api/chapters/${chapter}/run`, 'POST', {});
    if (response.status !== 202) return [`${chapter}: ${response.status} ${await response.text()}`];
    let state: { batch?: unknown; steps: Record<string, { status: string; message?: string }> };
    do {
      await new Promise((r) => setTimeout(r, 500));
      state = (await (await call(learner, '/api/state')).json()) as typeof state;
    } while (state.batch);
    const manual = new Set(manifest.steps.filter((s) => s.kind === 'manual').map((s) => s.id));
    const steps = manifest.chapters.find((c) => c.id === chapter)!.steps.filter((id) => !manual.has(id));
    const failed = steps.filter((id) => !['ok', 'skipped'].includes(state.steps[id]?.status ?? 'not run'));
    if (failed.length) {
      for (const id of failed) console.error(`  ${learner.id} ${id}: ${state.steps[id]?.message ?? 'not run'}`);
      return failed;
    }
  }
  return [];
}

/** Each lab's engine holds only its own; each learner's :8000 and :80 show that learner's page. */
async function crossTalk(learners: Learner[]): Promise<number> {
  let problems = 0;
  const ids = new Map<string, string>();
  for (const learner of learners) {
    const containers = (await docker(['exec', learner.lab, 'docker', 'ps', '-aq', '--no-trunc'])).split('\n');
    for (const id of containers.filter(Boolean)) {
      if (ids.has(id)) {
        console.error(`  cross-talk: container ${id} is in ${learner.id}'s lab and ${ids.get(id)}'s`);
        problems += 1;
      }
      ids.set(id, learner.id);
    }
    const page = `/tmp/whoami-${learner.id}`;
    await docker(['exec', learner.lab, 'bash', '-c', `mkdir -p ${page} && echo ${learner.id} > ${page}/index.html`]);
    await docker(['exec', '-d', '-w', page, learner.lab, 'python3', '-m', 'http.server', '8000']);
    await docker([
      'exec',
      learner.lab,
      'docker',
      'run',
      '-d',
      '-p',
      '80:80',
      '-v',
      `${page}:/usr/share/nginx/html:ro`,
      'nginx',
    ]);
  }
  for (const learner of learners) {
    for (const labPort of [8000, 80]) {
      const url = `http://127.0.0.1:${learner.ports[labPort]}/`;
      let text = '';
      for (let i = 0; i < 40 && text.trim() !== learner.id; i++) {
        text = await fetch(url).then(
          (r) => r.text(),
          () => '',
        );
        if (text.trim() !== learner.id) await new Promise((r) => setTimeout(r, 250));
      }
      if (text.trim() !== learner.id) {
        console.error(
          `  cross-talk: ${learner.id}'s ${url} (lab ${labPort}) answered ${JSON.stringify(text.slice(0, 60))}`,
        );
        problems += 1;
      }
    }
  }
  console.log(`  cross-talk check: ${learners.length} labs, ${ids.size} containers, ${problems} problem(s)`);
  return problems;
}
