import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startRunnerProcess } from '../test/support/runner-process.ts';
const out = process.argv[2]!;
const runner = await startRunnerProcess({ target: 'host', env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', TUTORIAL_PROFILE: 'offline' } });
try {
  const manifest = (await import('./site.ts')).builtManifest();
  const run = async (id: string) => {
    const step = manifest.steps.find((s) => s.id === id)!;
    await runner.api('/api/runs', { json: { id, hash: step.hash } });
    for (let i = 0; i < 600; i++) {
      const state = (await (await runner.api('/api/state')).json()) as { active: unknown[]; queued?: unknown[] };
      if (state.active.length === 0 && (state.queued ?? []).length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  for (const id of ['yaml-install-pyyaml', 'yaml-make-folder', 'yaml-write-pod', 'yaml-load-repl', 'env-pyenv-install', 'env-ls-home', 'django-startproject', 'django-tree-project']) await run(id);
  spawnSync(process.execPath, [path.join(import.meta.dirname, 'look.ts'), out, ...process.argv.slice(3)], {
    stdio: 'inherit',
    env: { ...process.env, RUNNER_URL: runner.url, RUNNER_TOKEN: runner.token, STEP: process.env.STEP ?? '1' },
  });
} finally {
  await runner.stop();
}
