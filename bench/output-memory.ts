/** The runner's peak memory while a step prints 100 MB (the output cap at work). */
import { readFileSync } from 'node:fs';
import type { Runner } from '../test/runner/harness.ts';

export async function peakMemoryOnFlood(runner: Runner): Promise<number> {
  const tap = runner.events();
  await tap.opened;
  const runId = await runner.start('flood');
  const end = await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId, 280_000);
  tap.close();
  if (end.type !== 'run-end' || end.state.status !== 'ok') throw new Error(`flood: ${JSON.stringify(end)}`);
  const status = readFileSync(`/proc/${runner.process.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}
