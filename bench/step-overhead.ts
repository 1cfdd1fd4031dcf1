/**
 * A trivial step through the runner (POST /api/runs → run-end event, as the page sees it) against
 * running the same code yourself: `bash -c` on the host, `docker exec myserver01 bash -c` for the
 * lab. Rounds alternate the two, so both see the same machine load.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Runner } from '../test/runner/harness.ts';
import { median, round } from './stats.ts';

export interface Overhead {
  rawMs: number;
  runnerMs: number;
}

export async function stepOverhead(runner: Runner, raw: string[], code: string, rounds: number): Promise<Overhead> {
  const rawRun = () => {
    const result = spawnSync(raw[0]!, [...raw.slice(1), code], { stdio: 'pipe' });
    if (result.status !== 0) throw new Error(`${raw.join(' ')} failed: ${result.stderr}`);
  };
  // Warm up both paths once (bundle load, page cache, the session's start).
  await runner.run('say-hello');
  rawRun();
  // One event stream for every round, as a page keeps one open.
  const events = runner.events();
  await events.opened;
  const rawMs: number[] = [];
  const runnerMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    rawRun();
    rawMs.push(performance.now() - t);
    t = performance.now();
    const runId = await runner.start('say-hello');
    const end = await events.waitFor((e) => e.type === 'run-end' && e.runId === runId);
    runnerMs.push(performance.now() - t);
    if (end.type === 'run-end' && end.state.status !== 'ok') throw new Error(`say-hello: ${JSON.stringify(end.state)}`);
  }
  events.close();
  return { rawMs: round(median(rawMs)), runnerMs: round(median(runnerMs)) };
}
