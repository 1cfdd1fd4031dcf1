/** Streaming latency: from a line being written by the step to its event reaching the client. */
import type { Runner } from '../test/runner/harness.ts';
import { median, p95, round } from './stats.ts';

export async function streamLatency(runner: Runner): Promise<{ medianMs: number; p95Ms: number; lines: number }> {
  const tap = runner.events();
  await tap.opened;
  const runId = await runner.start('latency-probe');
  await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId, 20_000);
  const offset = Date.now() - performance.now(); // performance time → wall clock
  const latencies: number[] = [];
  tap.received.forEach((event, i) => {
    if (event.type !== 'output' || event.runId !== runId) return;
    // The step stamps each line with the wall clock when it writes it.
    for (const match of event.text.matchAll(/t=(\d+)/g)) {
      const writtenMs = Number(BigInt(match[1]!) / 1_000_000n);
      latencies.push(tap.arrivals[i]! + offset - writtenMs);
    }
  });
  tap.close();
  return { medianMs: round(median(latencies)), p95Ms: round(p95(latencies)), lines: latencies.length };
}
