/**
 * Runs: starts steps from the manifest, tracks them while they run (output, readiness, services),
 * ends them on cancel or timeout, and records how they ended. The HTTP layer talks only to this.
 */
import { randomUUID } from 'node:crypto';
import type { Manifest } from '../../contract/manifest.ts';
import { checkOutput } from '../../contract/expect.ts';
import { formatDuration } from '../../contract/format.ts';
import type { Step } from '../../contract/step-schema.ts';
import type { ExpectReport, RunStatus, RunnerEvent, ServiceInfo, StepState } from '../../contract/protocol.ts';
import { execute } from '../executors/execute.ts';
import type { ExecResult } from '../executors/context.ts';
import { preflight, type Machine } from '../preflight.ts';
import { sessionFiles } from '../session/session-files.ts';
import type { Target } from '../targets/target.ts';
import { PathOutsideWorkspace, type Workspace } from '../workspace.ts';
import { failureHint } from './failure-hints.ts';
import { missingCommandHint } from '../host-requirements.ts';
import type { LiveRuns } from './live-runs.ts';
import { OutputLog } from './output-log.ts';
import { serviceUrl, waitUntilReady } from './readiness.ts';
import type { StatusStore } from './status-store.ts';
import type { Transcripts } from './transcripts.ts';

export class RunRefused extends Error {
  readonly status: number;
  readonly hint?: string;

  constructor(status: number, message: string, hint?: string) {
    super(message);
    this.status = status;
    this.hint = hint;
  }
}

export interface RunsOptions {
  manifest: Manifest;
  workspace: Workspace;
  target: () => Target;
  machine: () => Machine;
  status: StatusStore;
  transcripts: Transcripts;
  /** Runs in progress, on disk, so a runner after a crash can end them. */
  live: LiveRuns;
  publish: (event: RunnerEvent) => void;
  /** Makes sure the images Docker steps build on exist (provisioned on first need). */
  prepareImages?: (progress: (message: string) => void) => Promise<void>;
}

interface ActiveRun {
  runId: string;
  step: Step;
  log: OutputLog;
  controller: AbortController;
  startedAt: number;
  service?: ServiceInfo;
  /** Why it was aborted, once it was. */
  endReason?: 'cancelled' | 'timeout';
  /** Settles with the state the page sees as "done": exit for a step, ready for a service. */
  settled: Promise<StepState>;
  /** Set by the first `finish`: a run ends once, whatever else reports on it later. */
  finished?: boolean;
  expect?: ExpectReport;
  /** Settles when the process has really exited (later than `settled` for a service). */
  exited: Promise<void>;
}

export class Runs {
  private readonly options: RunsOptions;
  private steps = new Map<string, Step>();
  private manifest: Manifest;
  private readonly active = new Map<string, ActiveRun>();
  /** Set while a reset or target switch runs: no new run may start in between. */
  private pausedFor?: string;
  private batch?: { batchId: string; chapter: string; until?: string; current?: string; stopped: boolean };

  constructor(options: RunsOptions) {
    this.options = options;
    this.manifest = options.manifest;
    this.steps = new Map(options.manifest.steps.map((step) => [step.id, step]));
    // Statuses left "running" by a runner that stopped mid-run are not running any more (their
    // processes may be: see endOrphans).
    // A service that was ready is "ok" but was still running: after a crash (kill -9) it is not
    // (endOrphans ends what is left of it), so it must not read "running in the background".
    const leftRunning = new Set(options.live.all());
    for (const [id, state] of Object.entries(options.status.all())) {
      if (state.status === 'running') {
        options.status.set(id, { ...state, status: 'cancelled', message: 'the runner stopped while this step ran' });
      } else if (leftRunning.has(state.runId)) {
        const message = 'ran in the background until the runner stopped; ended when the runner started again';
        options.status.set(id, { ...state, message });
      }
    }
  }

  /**
   * Runs from now on start the steps of `manifest` (`npm run dev` re-reads it as chapters change).
   * Runs under way keep the step they started with.
   */
  useManifest(manifest: Manifest): void {
    this.manifest = manifest;
    this.steps = new Map(manifest.steps.map((step) => [step.id, step]));
  }

  /**
   * Ends what a previous runner's runs left behind in this workspace (a server holding its port,
   * say) on every target they may have run on. Call before starting any run.
   */
  async endOrphans(targets: Target[]): Promise<void> {
    const runIds = this.options.live.all();
    for (const runId of runIds) {
      for (const target of targets) await target.killRun(runId, 500).catch(() => {}); // e.g. no lab, no Docker
      this.options.live.remove(runId);
    }
  }

  /** Validates a request from the page and starts the run; the output follows as events. */
  start(stepId: string, hash: string): { runId: string } {
    const step = this.steps.get(stepId);
    if (!step) throw new RunRefused(404, `unknown step "${stepId}"`, 'reload the page: it does not match the runner');
    if (hash !== step.hash) {
      throw new RunRefused(
        409,
        `step "${stepId}" on this page differs from the runner's copy`,
        'reload the page (or rebuild the site)',
      );
    }
    if (step.kind === 'manual') throw new RunRefused(400, `step "${stepId}" is a manual step; do it yourself`);
    this.refuseIfPaused();
    if (this.batch && !this.batch.stopped) {
      throw new RunRefused(
        409,
        `the chapter "${this.batch.chapter}" is running all its steps`,
        'wait for it, or cancel its current step',
      );
    }
    this.refuseIfBusy(step);
    return { runId: this.launch(step).runId };
  }

  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.endReason ??= 'cancelled';
    run.controller.abort();
    return true;
  }

  /** Runs a chapter's steps in order up to `until`, stopping at the first failure. */
  runChapter(chapterId: string, until?: string): { batchId: string } {
    const chapter = this.manifest.chapters.find((c) => c.id === chapterId);
    if (!chapter) throw new RunRefused(404, `unknown chapter "${chapterId}"`);
    if (until !== undefined && !chapter.steps.includes(until)) {
      throw new RunRefused(400, `step "${until}" is not in chapter "${chapterId}"`);
    }
    if (this.batch && !this.batch.stopped)
      throw new RunRefused(409, `chapter "${this.batch.chapter}" is already running`);
    this.refuseIfPaused();
    // "Run to here" brings the chapter up to a step: what already passed (unchanged) is not redone,
    // since re-running e.g. `startproject` would only fail. "Run all" runs everything again.
    const upTo = until === undefined ? chapter.steps : chapter.steps.slice(0, chapter.steps.indexOf(until) + 1);
    const done = (id: string) => {
      const last = this.options.status.get(id);
      return (
        id !== until && last?.hash === this.steps.get(id)!.hash && (last.status === 'ok' || last.status === 'skipped')
      );
    };
    const ids = until === undefined ? upTo : upTo.filter((id) => !done(id));
    const batch = { batchId: randomUUID(), chapter: chapterId, until, stopped: false } as NonNullable<Runs['batch']>;
    this.batch = batch;
    void this.runBatch(
      batch,
      ids.map((id) => this.steps.get(id)!),
    );
    return { batchId: batch.batchId };
  }

  services(): ServiceInfo[] {
    return [...this.active.values()].flatMap((run) => (run.service ? [run.service] : []));
  }

  activeRuns(): { runId: string; stepId: string }[] {
    return [...this.active.values()].map((run) => ({ runId: run.runId, stepId: run.step.id }));
  }

  batchState() {
    return this.batch && !this.batch.stopped
      ? {
          batchId: this.batch.batchId,
          chapter: this.batch.chapter,
          until: this.batch.until,
          current: this.batch.current,
        }
      : undefined;
  }

  /** Events that bring a new subscriber up to date with runs still in progress. */
  replay(chapter?: string): RunnerEvent[] {
    const events: RunnerEvent[] = [];
    for (const run of this.active.values()) {
      if (chapter && run.step.chapter !== chapter) continue;
      const ids = { runId: run.runId, stepId: run.step.id };
      events.push({ type: 'run-start', ...ids, at: new Date(run.startedAt).toISOString() });
      for (const chunk of run.log.chunks) events.push({ type: 'output', ...ids, ...chunk });
      if (run.service?.state === 'ready') events.push({ type: 'ready', ...ids, url: run.service.url });
    }
    return events;
  }

  /** Runs `work` (a reset, a target switch) with every run stopped and no new one allowed in. */
  async whilePaused<T>(reason: string, work: () => Promise<T>): Promise<T> {
    if (this.pausedFor) throw new RunRefused(409, `${this.pausedFor} is in progress`, 'wait a moment and try again');
    this.pausedFor = reason;
    try {
      await this.stopAll();
      return await work();
    } finally {
      this.pausedFor = undefined;
    }
  }

  private refuseIfPaused(): void {
    if (this.pausedFor)
      throw new RunRefused(409, `${this.pausedFor} is in progress`, 'wait for it to finish, then run the step again');
  }

  /** Stops every run and service (Reset, shutdown, target switch). */
  async stopAll(): Promise<void> {
    if (this.batch) this.batch.stopped = true;
    const runs = [...this.active.values()];
    for (const run of runs) this.cancel(run.runId);
    await Promise.all(runs.map((run) => run.exited));
  }

  private refuseIfBusy(step: Step): void {
    for (const run of this.active.values()) {
      if (run.step.id === step.id) {
        throw new RunRefused(
          409,
          `step "${step.id}" is already running`,
          run.service ? 'stop the service first' : 'wait or cancel it',
        );
      }
      if (!run.step.background && !step.background && run.step.kind === 'shell' && step.kind === 'shell') {
        throw new RunRefused(
          409,
          `step "${run.step.id}" is still running in the same session`,
          'wait for it or cancel it first',
        );
      }
    }
  }

  private async runBatch(batch: NonNullable<Runs['batch']>, steps: Step[]): Promise<void> {
    const publish = (state: 'running' | 'done' | 'stopped', message?: string) =>
      this.options.publish({
        type: 'batch',
        batchId: batch.batchId,
        chapter: batch.chapter,
        until: batch.until,
        state,
        current: batch.current,
        message,
      });
    publish('running');
    for (const step of steps) {
      if (batch.stopped) return publish('stopped', 'stopped by a reset or shutdown');
      if (step.kind === 'manual') continue;
      const serving = [...this.active.values()].find(
        (run) => run.step.id === step.id && run.service?.state === 'ready',
      );
      if (serving) continue; // already up from an earlier run: as good as ok
      batch.current = step.id;
      publish('running');
      let state: StepState;
      try {
        this.refuseIfBusy(step);
        const run = this.launch(step);
        state = await run.settled;
        if (!step.background) await run.exited; // its session must be free for the next step
      } catch (error) {
        batch.stopped = true;
        return publish('stopped', `could not start ${step.id}: ${(error as Error).message}`);
      }
      if (state.status === 'failed' || state.status === 'cancelled') {
        batch.stopped = true;
        return publish('stopped', `stopped at ${step.id}: ${state.message ?? state.status}`);
      }
    }
    batch.stopped = true;
    batch.current = undefined;
    publish('done');
  }

  private launch(step: Step): ActiveRun {
    const runId = randomUUID();
    const controller = new AbortController();
    let settle!: (state: StepState) => void;
    let exit!: () => void;
    const run: ActiveRun = {
      runId,
      step,
      log: new OutputLog({ live: step.background }),
      controller,
      startedAt: Date.now(),
      settled: new Promise((resolve) => (settle = resolve)),
      exited: new Promise((resolve) => (exit = resolve)),
    };
    this.options.status.set(step.id, this.state(run, 'running', null));
    this.options.live.add(runId);
    this.active.set(runId, run);
    this.options.publish({ type: 'run-start', runId, stepId: step.id, at: new Date(run.startedAt).toISOString() });

    this.execute(run, settle)
      .catch((error: unknown) => {
        // An unexpected failure ends this run only, never the runner. A refused path is the
        // content's problem, not the runner's: say where the step is written.
        const where = `step ${step.id} (${step.source.file}:${step.source.line})`;
        const message =
          error instanceof PathOutsideWorkspace
            ? `${error.message} [${where}]`
            : `runner error in ${where}: ${(error as Error).message}`;
        this.emit(run, 'stderr', `${message}\n`);
        this.finish(run, settle, 'failed', null, message);
      })
      .finally(() => {
        this.active.delete(runId);
        this.options.live.remove(runId); // its processes are gone: execute() ends only once they are
        if (run.service) {
          run.service = undefined;
          this.publishServices();
        }
        exit();
      });
    return run;
  }

  private async execute(run: ActiveRun, settle: (state: StepState) => void): Promise<void> {
    const { step, controller } = run;
    const cancelled = () => controller.signal.aborted && (this.finishFromResult(run, settle, { exitCode: null }), true);
    await this.stopServices(run, step.stops);
    if (cancelled()) return;

    // Starting the lab and preparing images are shared by every run and can take minutes the first
    // time: Cancel ends this run at once, and the preparation goes on for the next one.
    const progress = (message: string) => !run.finished && this.emit(run, 'system', `${message}\n`);
    const target = this.options.target();
    await untilAborted(target.ensureReady(progress), controller.signal);
    if (cancelled()) return;

    const verdict = await preflight(step, this.options.machine());
    if (cancelled()) return;
    if (verdict.action === 'run' && step.requires.includes('docker') && this.options.prepareImages) {
      await untilAborted(this.options.prepareImages(progress), controller.signal);
      if (cancelled()) return;
    }
    if (verdict.action !== 'run') {
      this.emit(run, 'system', `${verdict.message}\n`);
      return this.finish(run, settle, verdict.action === 'skip' ? 'skipped' : 'failed', null, verdict.message);
    }

    const timer = setTimeout(() => {
      run.endReason ??= 'timeout';
      controller.abort();
    }, step.timeoutMs);
    try {
      const files = sessionFiles(this.options.workspace, target.name);
      const context = {
        step,
        runId: run.runId,
        workspace: this.options.workspace,
        target,
        files,
        signal: controller.signal,
        emit: (stream: 'stdout' | 'stderr' | 'system', text: string) => this.emit(run, stream, text),
      };
      const execution = execute(context);
      if (step.background) {
        await this.superviseService(run, execution, settle, () => clearTimeout(timer));
        return;
      }
      const result = await execution;
      if (result.exitCode === 0 && step.port !== undefined && !controller.signal.aborted) {
        // e.g. `docker run -d -p 8000:8000`: done when the published port answers.
        this.emit(run, 'system', `waiting for port ${step.port} to answer...\n`);
        const url = serviceUrl(this.hostPort(step.port), step.ready);
        if (await waitUntilReady(this.hostPort(step.port), step.ready, controller.signal)) {
          this.options.publish({ type: 'ready', runId: run.runId, stepId: step.id, url });
          this.emit(run, 'system', `ready: ${url}\n`);
        } else if (run.endReason === 'timeout') {
          return this.finish(
            run,
            settle,
            'failed',
            0,
            `the command succeeded, but ${url} did not answer within ${formatDuration(step.timeoutMs)}`,
          );
        }
      }
      this.finishFromResult(run, settle, result);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The learner's port for a port of the target (the same, unless the target maps it). */
  private hostPort(port: number): number {
    const target = this.options.target();
    return target.hostPort?.(port) ?? port;
  }

  /** A background step: ok once ready; then it runs on as a service until stopped. */
  private async superviseService(
    run: ActiveRun,
    execution: Promise<ExecResult>,
    settle: (state: StepState) => void,
    stopTimeout: () => void,
  ) {
    const { step, controller } = run;
    // Polling ends when the run is cancelled or times out, or when the process exits first.
    const polling = new AbortController();
    controller.signal.addEventListener('abort', () => polling.abort(), { once: true });
    const url = step.port !== undefined ? serviceUrl(this.hostPort(step.port), step.ready) : undefined;
    run.service = {
      stepId: step.id,
      runId: run.runId,
      port: step.port,
      url,
      state: 'starting',
      since: new Date().toISOString(),
    };
    this.publishServices();

    let exited = false;
    const readiness = (async () => {
      const ok =
        step.port === undefined ? true : await waitUntilReady(this.hostPort(step.port), step.ready, polling.signal);
      if (!ok || exited) return;
      stopTimeout(); // the timeout covers starting up; a ready service runs until stopped
      run.service = { ...run.service!, state: 'ready', since: new Date().toISOString() };
      this.publishServices();
      this.options.publish({ type: 'ready', runId: run.runId, stepId: step.id, url });
      this.emit(run, 'system', url ? `ready: ${url}\n` : 'started\n');
      const expect = this.expectReport(run);
      if (expect && !expect.ok) {
        this.finish(
          run,
          settle,
          'failed',
          null,
          'the service started, but its output differs from the expected output',
          expect,
        );
        controller.abort(); // a service that fails its check is not left running
        return;
      }
      this.finish(run, settle, 'ok', null, url ? `serving on ${url}` : 'running in the background', expect);
    })().catch((error: unknown) => {
      // Nothing awaits this until the service exits: an error here must end the run, not the runner.
      this.emit(run, 'stderr', `runner error: ${(error as Error).message}\n`);
      this.finish(run, settle, 'failed', null, `runner error: ${(error as Error).message}`);
      controller.abort();
    });

    const result = await execution;
    exited = true;
    polling.abort();
    await readiness;
    if (run.service?.state === 'ready') {
      const how = run.endReason
        ? 'stopped'
        : `exited by itself (${result.exitCode === null ? 'signal' : `exit code ${result.exitCode}`})`;
      this.emit(run, 'system', `service ${how}\n`);
      const served = this.options.status.get(step.id)!;
      // Still "ok": it served. The message and duration now cover its whole life.
      const state = {
        ...served,
        durationMs: Date.now() - run.startedAt,
        at: new Date().toISOString(),
        message: served.status === 'ok' ? `served ${url ?? 'in the background'}, then ${how}` : served.message,
      };
      this.options.status.set(step.id, state);
      this.publishEnd(run, state);
      return;
    }
    // Ended before it was ever ready.
    this.finishFromResult(
      run,
      settle,
      result,
      step.port !== undefined ? `exited before port ${step.port} answered` : undefined,
    );
  }

  private async stopServices(run: ActiveRun, ids: string[]): Promise<void> {
    for (const id of ids) {
      const service = [...this.active.values()].find((r) => r.step.id === id && r.step.background);
      if (!service) continue;
      this.emit(run, 'system', `stopping ${id} first (like pressing Ctrl+C in its terminal)\n`);
      this.cancel(service.runId);
      await service.exited;
    }
  }

  private finishFromResult(run: ActiveRun, settle: (s: StepState) => void, result: ExecResult, why?: string): void {
    const elapsed = Date.now() - run.startedAt;
    if (run.endReason === 'timeout') {
      return this.finish(
        run,
        settle,
        'failed',
        result.exitCode,
        `timed out after ${formatDuration(run.step.timeoutMs)} and was stopped (took ${formatDuration(elapsed)})`,
      );
    }
    if (run.endReason === 'cancelled')
      return this.finish(run, settle, 'cancelled', result.exitCode, 'cancelled; every process of the step was ended');
    if (result.exitCode !== 0) {
      const output = run.log.text();
      const hint =
        (result.exitCode === 127 ? missingCommandHint(output, this.options.manifest.steps) : undefined) ??
        failureHint(output);
      const base = why ?? result.message ?? `exit code ${result.exitCode}`;
      return this.finish(run, settle, 'failed', result.exitCode, hint ? `${base}: ${hint}` : base);
    }
    const expect = this.expectReport(run);
    if (expect && !expect.ok) {
      return this.finish(run, settle, 'failed', 0, 'the output differs from the expected output', expect);
    }
    this.finish(run, settle, 'ok', 0, result.message, expect);
  }

  private expectReport(run: ActiveRun): ExpectReport | undefined {
    const expected = run.step.expect;
    if (!expected || expected.match === 'none') return undefined;
    const result = checkOutput(expected, run.log.text());
    return { match: expected.match, ok: result.ok, ...(!result.ok && { diff: result.diff }) };
  }

  private finish(
    run: ActiveRun,
    settle: (s: StepState) => void,
    status: RunStatus,
    exitCode: number | null,
    message?: string,
    expect?: ExpectReport,
  ): void {
    if (run.finished) return;
    run.finished = true;
    const state = this.state(run, status, exitCode, message);
    run.expect = expect;
    try {
      this.options.status.set(run.step.id, state);
      // A ready service has succeeded (progress counts it, run-all moves on) but is not over: the
      // page keeps showing it as serving, with Stop, until it exits (see superviseService).
      if (run.service?.state !== 'ready') this.publishEnd(run, state);
      else this.saveTranscript(run, state, expect);
    } finally {
      settle(state); // even if saving failed: a run that never settles would hang run-all
    }
  }

  private publishEnd(run: ActiveRun, state: StepState): void {
    const tail = run.log.finish();
    if (tail) this.publishOutput(run, tail.stream, tail.text);
    this.saveTranscript(run, state, run.expect);
    this.options.publish({
      type: 'run-end',
      runId: run.runId,
      stepId: run.step.id,
      state,
      ...(run.expect && { expect: run.expect }),
    });
  }

  private saveTranscript(run: ActiveRun, state: StepState, expect?: ExpectReport): void {
    this.options.transcripts.save({
      stepId: run.step.id,
      runId: run.runId,
      state,
      output: run.log.chunks,
      ...(expect && { expect }),
    });
  }

  private state(run: ActiveRun, status: RunStatus, exitCode: number | null, message?: string): StepState {
    return {
      status,
      runId: run.runId,
      exitCode,
      durationMs: status === 'running' ? null : Date.now() - run.startedAt,
      ...(message !== undefined && { message }),
      at: new Date().toISOString(),
      hash: run.step.hash,
    };
  }

  private emit(run: ActiveRun, stream: 'stdout' | 'stderr' | 'system', text: string): void {
    for (const chunk of run.log.append(stream, text)) this.publishOutput(run, chunk.stream, chunk.text);
  }

  private publishOutput(run: ActiveRun, stream: 'stdout' | 'stderr' | 'system', text: string): void {
    this.options.publish({ type: 'output', runId: run.runId, stepId: run.step.id, stream, text });
  }

  private publishServices(): void {
    this.options.publish({ type: 'services', services: this.services() });
  }
}

/** Settles with `work`, or as soon as `signal` aborts (`work` itself goes on). */
function untilAborted(work: Promise<unknown>, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve();
  return Promise.race([work, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
}
