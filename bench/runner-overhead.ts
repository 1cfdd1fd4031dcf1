/**
 * `npm run bench`: what the runner costs on top of running a command yourself, measured in one
 * run on this machine, and written to bench/results.json (medians):
 *   host, lab     a trivial step through the runner against a raw `bash -c` / `docker exec
 *                 myserver01 bash -c` of the same code (step-overhead.ts)
 *   streamP95Ms   from a line being written by a step to its event reaching the client
 *   rssMb         the runner's peak memory with a step that prints 100 MB
 *   runAllMs      chapters 2–4 run through the API on the lab, warm images (run-all.ts)
 *   startToLinkMs `npm start` until the link is printed, site already built (start-to-link.ts)
 * BENCH_ROUNDS sets the rounds per overhead (default 30); BENCH_SKIP=run-all,start skips parts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureManifest, startRunner } from '../test/runner/harness.ts';
import { LAB_CONTAINER } from '../runner/targets/lab.ts';
import { peakMemoryOnFlood } from './output-memory.ts';
import { runAll } from './run-all.ts';
import { startToLink } from './start-to-link.ts';
import { median, round } from './stats.ts';
import { stepOverhead, type Overhead } from './step-overhead.ts';
import { streamLatency } from './stream-latency.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const RESULTS = path.join(import.meta.dirname, 'results.json');
const ms = (x: number) => `${x.toFixed(2)} ms`;
const code = fixtureManifest().manifest.steps.find((s) => s.id === 'say-hello')!.code;

const show = (name: string, o: Overhead, goal: string) =>
  console.log(
    `  ${name.padEnd(5)} raw ${ms(o.rawMs).padStart(10)}   runner ${ms(o.runnerMs).padStart(10)}   ` +
      `+${ms(o.runnerMs - o.rawMs)}  (${(o.runnerMs / o.rawMs).toFixed(1)}x; goal ${goal})`,
  );

console.log(`runner overhead, a trivial step (${ROUNDS} rounds, medians):`);
const hostRunner = await startRunner();
let host: Overhead, stream: Awaited<ReturnType<typeof streamLatency>>, rssMb: number;
try {
  host = await stepOverhead(hostRunner, ['bash', '-c'], code, ROUNDS);
  show('host', host, 'runner ≤ raw + 5 ms');
  stream = await streamLatency(hostRunner);
  console.log(
    `streaming latency, write → client (${stream.lines} lines): median ${ms(stream.medianMs)}  p95 ${ms(stream.p95Ms)}  (goal p95 < 50 ms)`,
  );
  rssMb = round(await peakMemoryOnFlood(hostRunner));
  console.log(`runner peak memory with a 100 MB output step: ${rssMb.toFixed(0)} MB (goal < 100 MB)`);
} finally {
  await hostRunner.stop();
}

const labRunner = await startRunner({ target: 'lab' });
let lab: Overhead;
try {
  lab = await stepOverhead(labRunner, ['docker', 'exec', LAB_CONTAINER, 'bash', '-c'], code, ROUNDS);
  show('lab', lab, 'runner ≤ raw');
} finally {
  await labRunner.stop();
}

let runAllMs: number | null = null;
if (!SKIP.has('run-all')) {
  runAllMs = round(await runAll());
  console.log(`run all, chapters 2–4 on the lab: ${(runAllMs / 1000).toFixed(1)} s`);
}
let startToLinkMs: number | null = null;
if (!SKIP.has('start')) {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push(await startToLink());
  startToLinkMs = round(median(times));
  console.log(`npm start → link printed (site built): ${ms(startToLinkMs)} (median of 3)`);
}

const results = { host, lab, streamP95Ms: stream.p95Ms, rssMb, runAllMs, startToLinkMs };
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written to ${path.relative(process.cwd(), RESULTS)}`);
