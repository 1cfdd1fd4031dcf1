/**
 * The runner's side of a session kernel (session.sh serve): one long-lived bash per target that
 * keeps the learner's shell state in memory and runs the steps handed to it, as a notebook kernel
 * does. Steps go in on its stdin; their output comes back on its stdout and stderr, separately and
 * as written, with the kernel's reports (start, end + exit code) in between (see MarkerSplitter).
 *
 *   down ──run()──► spawn, hello ──► up ──run()──► busy ──end report (both streams)──► up
 *    ▲                                │               │
 *    └──── process exits (crash, kill -9, lab stopped) ┘   abort → cancel record; after a crash the
 *          the next run() starts a new kernel, which         target ends the step's processes itself
 *          reads the saved state back
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { OutputStream } from '../../contract/protocol.ts';
import { MarkerSplitter } from './marker-splitter.ts';

export type KernelMode = 'shell' | 'python' | 'repl';

export interface KernelConfig {
  /** Starts `bash session.sh serve` on the target, with piped stdio. */
  open(): ChildProcess;
  /** Session folder (learner.sh), workspace root, REPL driver, as the target sees them. */
  stateDir: string;
  root: string;
  replDriver: string;
  /** uid:gid to hand root-owned workspace files back to after each step, or empty. */
  owner?: string;
  /** Ends a step's processes when its kernel is gone (its cancel channel with it). */
  killOrphaned(runId: string, pids: number[], groups: number[]): Promise<void>;
}

export interface KernelStep {
  runId: string;
  mode: KernelMode;
  /** Absolute directory the step asks for, or empty. */
  cwd: string;
  file: string;
  /** The runner's variables, applied fresh to this step. */
  env: Record<string, string>;
  emit(stream: Exclude<OutputStream, 'system'>, text: string): void;
  signal: AbortSignal;
}

interface Active {
  step: KernelStep;
  proc: Process;
  ended: Set<'stdout' | 'stderr'>;
  exitCode?: number | null;
  pids: number[];
  groups: number[];
  decoders: Record<'stdout' | 'stderr', TextDecoder>;
  /** Cancel asked for; sent once the monitor has reported its start (see cancel()). */
  cancelling?: boolean;
  /** Sends the cancel again until the step's end is reported (see cancel()). */
  resend?: NodeJS.Timeout;
  /** A step that never started is handed to a new kernel once (run()); this is that second time. */
  lastTry: boolean;
  finish(code: number | null | typeof NEVER_STARTED): void;
}

/** A step whose kernel died before the step's monitor reported its start: nothing of it ran. */
const NEVER_STARTED = Symbol('never started');

/** How often an unanswered cancel is sent again. */
const CANCEL_RESEND_MS = 1000;

interface Process {
  child: ChildProcess;
  nonce: string;
  sentEnv?: string;
  exited: boolean;
  /** stdout and stderr both ended: nothing more can arrive. */
  drained: Promise<void>;
}

export class Kernel {
  private readonly config: KernelConfig;
  private process?: Process;
  private active?: Active;

  constructor(config: KernelConfig) {
    this.config = config;
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  /** The kernel's process id on this machine (the `docker exec` client for the lab), if running. */
  get pid(): number | undefined {
    return this.process && !this.process.exited ? this.process.child.pid : undefined;
  }

  /**
   * Runs one step; settles with its exit code (null when cancelled or lost). A kernel that died
   * between steps (kill -9 while idle) can still look alive for a moment, until its `docker exec`
   * client notices: a step handed to it in that moment never starts, and goes to a new kernel.
   */
  async run(step: KernelStep): Promise<number | null> {
    const first = await this.runOnce(step, false);
    return first === NEVER_STARTED ? ((await this.runOnce(step, true)) as number | null) : first;
  }

  private runOnce(step: KernelStep, lastTry: boolean): Promise<number | null | typeof NEVER_STARTED> {
    if (this.active) throw new Error(`the session is busy with run ${this.active.step.runId}`);
    const proc = this.ensureProcess();
    return new Promise((resolve) => {
      const active: Active = {
        step,
        proc,
        lastTry,
        ended: new Set(),
        pids: [],
        groups: [],
        decoders: { stdout: new TextDecoder(), stderr: new TextDecoder() },
        finish: (code) => {
          if (this.active !== active) return;
          if (code === NEVER_STARTED) {
            this.active = undefined;
            step.signal.removeEventListener('abort', cancel);
            return resolve(NEVER_STARTED);
          }
          this.active = undefined;
          clearInterval(active.resend);
          step.signal.removeEventListener('abort', cancel);
          for (const name of ['stdout', 'stderr'] as const) {
            const rest = active.decoders[name].decode();
            if (rest) step.emit(name, rest);
          }
          resolve(step.signal.aborted ? null : code);
        },
      };
      this.active = active;
      const cancel = () => this.cancel(proc, active);
      step.signal.addEventListener('abort', cancel, { once: true });
      const env = Object.entries(step.env).map(([k, v]) => `${k}=${v}`);
      const envRecord = record('env', String(env.length), ...env);
      let out = '';
      if (proc.sentEnv !== envRecord) out += envRecord;
      proc.sentEnv = envRecord;
      out += record('run', step.runId, step.mode, step.cwd, step.file);
      proc.child.stdin?.write(out);
      if (step.signal.aborted) cancel();
    });
  }

  /** Ends the kernel (its stdin closes; it ends a step in progress and exits). */
  close(): void {
    this.process?.child.stdin?.end();
  }

  /**
   * The kernel ends a step by signalling its monitor M (USR1), and a signal can be lost two ways:
   * before M has set its trap, USR1's default action ends M itself, so the step is never reported;
   * between the trap and M's `wait`, the trap only sets a flag and `wait` blocks until the step
   * exits on its own (`sleep 1000`: for 17 minutes, past the timeout, whose abort is a no-op once
   * the signal has aborted). So the cancel is sent only after M's start report (printed after its
   * trap is set) and again every second until the step's end is reported: a USR1 that arrives
   * while M waits interrupts the wait.
   */
  private cancel(proc: Process, active: Active): void {
    if (!proc.exited) {
      active.cancelling = true;
      if (active.pids.length === 0) return; // before M's start report: sent by report()
      const send = () => !proc.exited && proc.child.stdin?.write(record('cancel', active.step.runId));
      send();
      active.resend ??= setInterval(send, CANCEL_RESEND_MS).unref();
      return;
    }
    clearInterval(active.resend);
    void this.config
      .killOrphaned(active.step.runId, active.pids, active.groups)
      .catch(() => {})
      .finally(() => active.finish(null));
  }

  private ensureProcess(): Process {
    if (this.process && !this.process.exited) return this.process;
    const child = this.config.open();
    const nonce = randomBytes(16).toString('hex');
    let ends = 0;
    let drained!: () => void;
    const proc: Process = { child, nonce, exited: false, drained: new Promise((r) => (drained = r)) };
    this.process = proc;
    // A kernel that dies mid-step (kill -9) leaves the step's monitor to report; once nothing
    // can report any more, the step ends here.
    void proc.drained.then(() => {
      const active = this.active;
      if (active?.proc !== proc) return;
      if (active.pids.length === 0 && !active.step.signal.aborted && !active.lastTry) {
        // Its streams can end before its 'exit' event: mark it gone now, or the retry would be
        // handed to this same dead process, whose drain has already been seen (a hang).
        proc.exited = true;
        return active.finish(NEVER_STARTED); // run() hands it to a new kernel
      }
      const how = child.exitCode ?? child.signalCode ?? 'unknown';
      active.step.emit('stderr', `the session process ended unexpectedly (${how}); the next step starts a new one\n`);
      active.finish(null);
    });
    const onEnd = () => ++ends === 2 && drained();
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = child[name]!;
      const splitter = new MarkerSplitter(
        nonce,
        (data) => this.output(proc, name, data),
        (words) => this.report(proc, name, words),
      );
      stream.on('data', (chunk: Buffer) => splitter.push(chunk));
      stream.once('end', () => (splitter.flush(), onEnd()));
      stream.once('error', onEnd);
    }
    child.stdin?.on('error', () => {}); // a dead kernel: its exit is handled below
    child.once('error', () => (proc.exited = true));
    child.once('exit', () => {
      proc.exited = true;
      // Its monitor may outlive it and still report; if the step's processes cannot be
      // reached through the kernel any more, a cancel goes to the target (see cancel()).
      const active = this.active;
      if (active?.step.signal.aborted) this.cancel(proc, active);
    });
    child.stdin?.write(
      record('hello', nonce, this.config.stateDir, this.config.root, this.config.owner ?? '', this.config.replDriver),
    );
    return proc;
  }

  private output(proc: Process, stream: 'stdout' | 'stderr', data: Buffer): void {
    const active = this.active;
    if (active?.proc !== proc) return; // a stray process of an ended step: its run is over
    const text = active.decoders[stream].decode(data, { stream: true });
    if (text) active.step.emit(stream, text);
  }

  private report(proc: Process, stream: 'stdout' | 'stderr', words: string[]): void {
    const [kind, runId, ...rest] = words;
    const active = this.active;
    if (active?.proc !== proc || runId !== active.step.runId) return;
    if (kind === 'start') {
      active.pids.push(Number(rest[0]));
      active.groups.push(Number(rest[1]));
      if (active.cancelling) this.cancel(proc, active);
    } else if (kind === 'end') {
      active.ended.add(stream);
      const code = Number(rest[0]);
      if (active.ended.size === 2) active.finish(Number.isInteger(code) ? code : null);
    }
  }
}

function record(...fields: string[]): string {
  return fields.map((f) => `${f}\0`).join('');
}
