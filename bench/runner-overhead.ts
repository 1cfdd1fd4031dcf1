/**
 * `npm run bench`: what the runner costs on top of running a command yourself, measured in one
 * run on this machine. Prints
 *   - a trivial step through the runner (POST → run-end, as the page sees it) against a raw
 *     `bash -c` spawn of the same code, as a ratio of medians;
 *   - streaming latency: from a line being written by the step to its event reaching the client;
 *   - the runner's resident memory after the runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fixtureManifest, startRunner } from '../test/runner/harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

const code = fixtureManifest().manifest.steps.find((s) => s.id === 'say-hello')!.code;
const runner = await startRunner();
try {
  // Warm up both paths once (bundle load, page cache).
  await runner.run('say-hello');
  spawnSync('bash', ['-c', code]);

  // One event stream for every round, as a page keeps one open.
  const steps = runner.events();
  await steps.opened;
  const raw: number[] = [];
  const viaRunner: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    spawnSync('bash', ['-c', code], { stdio: 'pipe' });
    raw.push(performance.now() - t);
    t = performance.now();
    const runId = await runner.start('say-hello');
    await steps.waitFor((e) => e.type === 'run-end' && e.runId === runId);
    viaRunner.push(performance.now() - t);
  }
  steps.close();

  // Streaming latency: the step stamps each line with the wall clock when it writes it.
  const tap = runner.events();
  await tap.opened;
  const runId = await runner.start('latency-probe');
  await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId, 20_000);
  const offset = Date.now() - performance.now(); // performance time → wall clock
  const latencies: number[] = [];
  tap.received.forEach((event, i) => {
    if (event.type !== 'output' || event.runId !== runId) return;
    for (const match of event.text.matchAll(/t=(\d+)/g)) {
      const writtenMs = Number(BigInt(match[1]!) / 1_000_000n);
      latencies.push(tap.arrivals[i]! + offset - writtenMs);
    }
  });
  tap.close();
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${runner.process.pid}/status`, 'utf8'))![1]) / 1024;

  console.log(`runner overhead, trivial step on the host target (${ROUNDS} rounds, medians):`);
  console.log(`  raw bash -c spawn        ${ms(median(raw))}`);
  console.log(`  through the runner       ${ms(median(viaRunner))}   (POST /api/runs → run-end event)`);
  console.log(`  ratio                    ${(median(viaRunner) / median(raw)).toFixed(1)}x`);
  console.log(`streaming latency, write → client (${latencies.length} lines):`);
  console.log(
    `  median ${ms(median(latencies))}   p95 ${ms(p95(latencies))}   max ${ms(Math.max(...latencies))}   target < 50 ms`,
  );
  console.log(`runner memory after the runs: ${rss.toFixed(0)} MB resident`);
} finally {
  await runner.stop();
}
