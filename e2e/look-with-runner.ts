/**
 * Starts a runner (lab), runs the yaml chapter and the first steps of django-in-docker through
 * the API so pages show real results, then takes e2e/look.ts's screenshots against it. For a
 * person to look at; run under the lab lock: `node e2e/look-with-runner.ts <out-dir>`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startRunnerProcess } from '../test/support/runner-process.ts';

const out = process.argv[2] ?? 'e2e/artifacts/look';
const runner = await startRunnerProcess({ target: 'lab' });
try {
  const run = async (id: string) => {
    const manifest = (await import('./site.ts')).builtManifest();
    const step = manifest.steps.find((s) => s.id === id)!;
    await runner.api('/api/runs', { json: { id, hash: step.hash } });
    for (let i = 0; i < 600; i++) {
      const state = (await (await runner.api('/api/state')).json()) as { active: unknown[]; queued?: unknown[] };
      if (state.active.length === 0 && (state.queued ?? []).length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  for (const id of ['yaml-install-pyyaml', 'yaml-make-folder', 'yaml-write-pod', 'yaml-load-repl']) await run(id);
  for (const id of ['django-startproject', 'django-tree-project', 'django-allowed-hosts', 'django-migrate'])
    await run(id);
  await run('env-pyenv-install'); // skipped offline: how a skip looks
  spawnSync(process.execPath, [path.join(import.meta.dirname, 'look.ts'), out], {
    stdio: 'inherit',
    env: { ...process.env, RUNNER_URL: runner.url, RUNNER_TOKEN: runner.token, STEP: process.env.STEP ?? '3' },
  });
} finally {
  await runner.stop();
}
