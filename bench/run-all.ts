/**
 * "Run all" of chapters 2–4 through the HTTP API on the lab target, on warm images, as the page
 * does it: one chapter after the other in a fresh workspace. Chapter 1 sets the stage first and is
 * not timed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { removeTutorialDockerObjects } from '../runner/tutorial-docker.ts';
import { collectContent } from '../src/steps/collect.ts';
import { EventTap } from '../test/support/event-tap.ts';
import { startRunnerProcess } from '../test/support/runner-process.ts';

const CONTENT = path.resolve(import.meta.dirname, '../content');

export async function runAll(): Promise<number> {
  const manifest = collectContent(CONTENT, CONTENT);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-manifest-')), 'steps.json');
  writeFileSync(file, JSON.stringify(manifest));
  const runner = await startRunnerProcess({ target: 'lab', args: ['--no-site', '--manifest', file] });
  try {
    const chapters = manifest.chapters.map((c) => c.id);
    const runChapter = async (id: string) => {
      const tap = new EventTap(`${runner.url}/api/events?token=${runner.token}`);
      await tap.opened;
      const response = await runner.api(`/api/chapters/${id}/run`, { json: {} });
      if (response.status !== 202) throw new Error(`run ${id}: ${response.status} ${await response.text()}`);
      const { batchId } = (await response.json()) as { batchId: string };
      const done = await tap.waitFor(
        (e) => e.type === 'batch' && e.batchId === batchId && e.state !== 'running',
        900_000,
      );
      tap.close();
      if (done.type === 'batch' && done.state !== 'done') throw new Error(`chapter ${id}: ${done.message}`);
    };
    await runChapter(chapters[0]!);
    const started = performance.now();
    for (const id of chapters.slice(1, 4)) await runChapter(id);
    return performance.now() - started;
  } finally {
    await runner.stop();
    await removeTutorialDockerObjects(); // what the chapters started and built
  }
}
