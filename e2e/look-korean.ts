/**
 * The Korean pages with a runner, for a person to look at (not a test): starts a runner on the
 * host target (no Docker, no fixed port: no lab lock needed), gives a few steps real results (a
 * file written, a step run too early for its failure hint, a step skipped offline), then takes
 * e2e/look.ts's screenshots of the Korean pages. `node e2e/look-korean.ts <out-dir> [chapter...]`
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startRunnerProcess } from '../test/support/runner-process.ts';
import { builtManifest } from './site.ts';

const out = process.argv[2] ?? 'e2e/artifacts/look-ko';
const chapters = process.argv.slice(3);
// Offline on purpose: the skipped step would otherwise install pyenv on this machine.
const runner = await startRunnerProcess({ target: 'host', env: { RUNNER_INTERNET: 'off' } });
try {
  const run = async (id: string) => {
    const step = builtManifest().steps.find((s) => s.id === id)!;
    await runner.api('/api/runs', { json: { id, hash: step.hash } });
    for (let i = 0; i < 600; i++) {
      const state = (await (await runner.api('/api/state')).json()) as { active: unknown[]; queued?: unknown[] };
      if (state.active.length === 0 && (state.queued ?? []).length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  for (const id of ['yaml-make-folder', 'yaml-write-pod', 'django-copy-ex03', 'env-pyenv-install']) await run(id);
  spawnSync(process.execPath, [path.join(import.meta.dirname, 'look.ts'), out, ...chapters], {
    stdio: 'inherit',
    env: { ...process.env, SITE_LANG: 'ko', RUNNER_URL: runner.url, RUNNER_TOKEN: runner.token },
  });
} finally {
  await runner.stop();
}
