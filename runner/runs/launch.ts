/**
 * A run's life from launch to exit (see the diagram in active-run.ts): preparation, the `done`
 * test, execution, readiness of a published port, and how it is recorded when it ends. Services
 * (background steps) are supervised in service-supervision.ts.
 * Kept whole: these phases hand one run's state to each other in order, and a run's end must be
 * recorded the same way from each of them; split, that order would be spread over files.
 */
import { randomUUID } from 'node:crypto';
import { isMessage, say, SaidError, sayBoth, textOf, type Message, type Said } from '../../contract/messages.ts';
import type { RunStatus, StepState } from '../../contract/protocol.ts';
import type { Step } from '../../contract/step-schema.ts';
import type { ExecResult } from '../executors/context.ts';
import { execute } from '../executors/execute.ts';
import { preflight } from '../preflight.ts';
import { sessionFiles } from '../session/session-files.ts';
import { PathOutsideWorkspace } from '../workspace.ts';
import type { ActiveRun } from './active-run.ts';
import { alreadyDone } from './done-test.ts';
import type { RunsOptions } from './runs.ts';
import { missingCommandHint } from '../host-requirements.ts';
import { failureHint } from './failure-hints.ts';
import { outcomeOf, type Outcome } from './outcomes.ts';
import { OutputLog } from './output-log.ts';
import { serviceUrl, waitUntilReady } from './readiness.ts';
import { superviseService } from './service-supervision.ts';

/** What a launch needs of the runs' own options (documented in runs.ts), and a few hooks back. */
export interface LaunchDeps extends Pick<
  RunsOptions,
  'workspace' | 'target' | 'machine' | 'status' | 'transcripts' | 'live' | 'publish' | 'prepareImages'
> {
  /** The runs in progress, shared with runs.ts (admission, replay, services). */
  active: Map<string, ActiveRun>;
  /** Stops the background steps a step names in `stops` (runs.ts knows where they are). */
  stopServices: (run: ActiveRun, ids: string[]) => Promise<void>;
  /** Called when a run's processes are gone: the queue may move. */
  onExit: (run: ActiveRun) => void;
  /** The manifest's steps now, for the hint that names the step installing a missing command. */
  steps: () => Step[];
}

export class Launcher {
  private readonly deps: LaunchDeps;

  constructor(deps: LaunchDeps) {
    this.deps = deps;
  }

  launch(step: Step, runId: string = randomUUID()): ActiveRun {
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
    const { deps } = this;
    deps.status.set(step.id, this.state(run, 'running', null));
    deps.live.add(runId);
    deps.active.set(runId, run);
    deps.publish({ type: 'run-start', runId, stepId: step.id, at: new Date(run.startedAt).toISOString() });

    this.execute(run, settle)
      .catch((error: unknown) => {
        // An unexpected failure ends this run only, never the runner. A refused path is the
        // content's problem, not the runner's: say where the step is written.
        const where = `step ${step.id} (${step.source.file}:${step.source.line})`;
        const said: Said =
          error instanceof PathOutsideWorkspace
            ? `${error.message} [${where}]`
            : error instanceof SaidError
              ? error.msg // says what is wrong and what to do (Docker not running, say)
              : say('run.runner-error', { where, error: (error as Error).message });
        this.emit(run, 'stderr', `${textOf(said)}\n`);
        this.finish(run, settle, { status: 'failed', exitCode: null, ...sayBoth(said) });
      })
      .finally(() => {
        deps.active.delete(runId);
        deps.live.remove(runId); // its processes are gone: execute() ends only once they are
        if (run.service) {
          run.service = undefined;
          this.publishServices();
        }
        exit();
        deps.onExit(run);
      });
    return run;
  }

  private async execute(run: ActiveRun, settle: (state: StepState) => void): Promise<void> {
    const { step, controller } = run;
    const cancelled = () => controller.signal.aborted && (this.finishFromResult(run, settle, { exitCode: null }), true);
    await this.deps.stopServices(run, step.stops);
    if (cancelled()) return;

    // Starting the lab and preparing images are shared by every run and can take minutes the first
    // time: Cancel ends this run at once, and the preparation goes on for the next one.
    const progress = (message: Said) => !run.finished && this.emit(run, 'system', message);
    const target = this.deps.target();
    await untilAborted(target.ensureReady(progress), controller.signal);
    if (cancelled()) return;

    const verdict = await preflight(step, this.deps.machine());
    if (cancelled()) return;
    if (verdict.action !== 'run') {
      // Said once: the reason is the result's message, not also a line of output.
      return this.finish(run, settle, {
        status: verdict.action === 'skip' ? 'skipped' : 'failed',
        exitCode: null,
        ...sayBoth(verdict.message),
      });
    }
    if (step.done !== undefined && (await alreadyDone(step, target, this.deps.workspace, run.runId))) {
      if (cancelled()) return;
      return this.finish(
        run,
        settle,
        {
          status: 'ok',
          exitCode: null,
          ...sayBoth(say('run.already-done', { test: step.done })),
        },
        true,
      );
    }
    if (cancelled()) return;
    if (step.requires.includes('docker') && this.deps.prepareImages) {
      await untilAborted(this.deps.prepareImages(progress), controller.signal);
      if (cancelled()) return;
    }

    const timer = setTimeout(() => {
      run.endReason ??= 'timeout';
      controller.abort();
    }, step.timeoutMs);
    try {
      const files = sessionFiles(this.deps.workspace, target.name);
      const context = {
        step,
        runId: run.runId,
        workspace: this.deps.workspace,
        target,
        files,
        signal: controller.signal,
        emit: (stream: 'stdout' | 'stderr' | 'system', text: Said) => this.emit(run, stream, text),
      };
      const execution = execute(context);
      if (step.background) {
        await superviseService(this.serviceHooks(run, settle), execution, () => clearTimeout(timer));
        return;
      }
      const result = await execution;
      if (result.exitCode === 0 && step.port !== undefined && !controller.signal.aborted) {
        // e.g. `docker run -d -p 8000:8000`: done when the published port answers.
        this.emit(run, 'system', say('status.waiting-port', { port: String(step.port) }));
        const url = serviceUrl(this.hostPort(step.port), step.ready, this.portHost());
        if (await waitUntilReady(this.hostPort(step.port), step.ready, controller.signal, this.portHost())) {
          this.deps.publish({ type: 'ready', runId: run.runId, stepId: step.id, url });
          this.emit(run, 'system', say('status.ready', { url }));
        } else if (run.endReason === 'timeout') {
          return this.finish(run, settle, {
            status: 'failed',
            exitCode: 0,
            ...sayBoth(say('run.port-silent', { url, limit: { ms: step.timeoutMs } })),
          });
        }
      }
      this.finishFromResult(run, settle, result);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The learner's port for a port of the target (the same, unless the target maps it). */
  private hostPort(port: number): number {
    return this.deps.target().hostPort?.(port) ?? port;
  }

  /** Where the target's published ports answer (127.0.0.1 unless a remote engine's host). */
  private portHost(): string | undefined {
    return this.deps.target().portHost;
  }

  private serviceHooks(run: ActiveRun, settle: (state: StepState) => void) {
    return {
      run,
      hostPort: (port: number) => this.hostPort(port),
      portHost: this.portHost(),
      emit: (stream: 'stdout' | 'stderr' | 'system', text: Said) => this.emit(run, stream, text),
      publish: this.deps.publish,
      publishServices: () => this.publishServices(),
      finish: (outcome: Outcome) => this.finish(run, settle, outcome),
      finishFromResult: (result: ExecResult, why?: Said) => this.finishFromResult(run, settle, result, why),
      /** A service that served and then exited: still "ok", its message and duration now cover its life. */
      endServed: (how: Said, url: string | undefined) => {
        const served = this.deps.status.get(run.step.id)!;
        const ended = url ? say('service.served-then', { url, how }) : say('service.served-background-then', { how });
        const state = {
          ...served,
          durationMs: Date.now() - run.startedAt,
          at: new Date().toISOString(),
          ...(served.status === 'ok' ? sayBoth(ended) : {}),
        };
        this.deps.status.set(run.step.id, state);
        this.publishEnd(run, state);
      },
    };
  }

  private finishFromResult(run: ActiveRun, settle: (s: StepState) => void, result: ExecResult, why?: Said): void {
    const output = run.log.text();
    const outcome = outcomeOf(run.step, result, output, {
      endReason: run.endReason,
      elapsedMs: Date.now() - run.startedAt,
      hint:
        result.exitCode === 127
          ? (missingCommandHint(output, this.deps.steps()) ?? failureHint(output))
          : result.exitCode !== 0
            ? failureHint(output)
            : undefined,
      why,
    });
    this.finish(run, settle, outcome);
  }

  private finish(run: ActiveRun, settle: (s: StepState) => void, outcome: Outcome, already = false): void {
    if (run.finished) return;
    run.finished = true;
    const state = {
      ...this.state(run, outcome.status, outcome.exitCode, outcome.message),
      ...(outcome.msg && { msg: outcome.msg }),
      ...(already && { already }),
    };
    run.expect = outcome.expect;
    try {
      try {
        // A ready service has succeeded (progress counts it, run-all moves on) but is not over: the
        // page keeps showing it as serving, with Stop, until it exits (see service-supervision.ts).
        if (run.service?.state !== 'ready') this.publishEnd(run, state);
        else this.saveTranscript(run, state);
      } finally {
        // Written once the result is out, in the same turn (no request is served in between): the
        // step's end no longer waits for status.json. A crash in between leaves "running" on disk,
        // as a crash just before the end always did, and the next runner shows it as cancelled.
        this.deps.status.set(run.step.id, state);
      }
    } finally {
      settle(state); // even if saving failed: a run that never settles would hang run-all
    }
  }

  private publishEnd(run: ActiveRun, state: StepState): void {
    const tail = run.log.finish();
    if (tail) this.publishOutput(run, tail.stream, tail.text, tail.msg);
    this.saveTranscript(run, state);
    this.deps.publish({
      type: 'run-end',
      runId: run.runId,
      stepId: run.step.id,
      state,
      ...(run.expect && { expect: run.expect }),
    });
  }

  private saveTranscript(run: ActiveRun, state: StepState): void {
    this.deps.transcripts.save({
      stepId: run.step.id,
      runId: run.runId,
      state,
      output: run.log.chunks,
      ...(run.expect && { expect: run.expect }),
      ...(run.step.edited && { edited: { code: run.step.code } }),
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
      ...(run.step.edited && { edited: true }),
    };
  }

  /**
   * Output of the run. A message (a system line of the runner's own) goes into the log in
   * English, with a newline, and to the page with its code as well, for the page's language.
   */
  emit(run: ActiveRun, stream: 'stdout' | 'stderr' | 'system', text: Said): void {
    const msg = isMessage(text) ? text : undefined;
    const line = msg ? `${textOf(msg)}\n` : (text as string);
    // The code goes with its own line only, not with a notice of the output cap.
    for (const chunk of run.log.append(stream, line)) {
      this.publishOutput(run, chunk.stream, chunk.text, chunk.text === line ? msg : chunk.msg);
    }
  }

  private publishOutput(run: ActiveRun, stream: 'stdout' | 'stderr' | 'system', text: string, msg?: Message): void {
    this.deps.publish({ type: 'output', runId: run.runId, stepId: run.step.id, stream, text, ...(msg && { msg }) });
  }

  publishServices(): void {
    const services = [...this.deps.active.values()].flatMap((run) => (run.service ? [run.service] : []));
    this.deps.publish({ type: 'services', services });
  }
}

/** Settles with `work`, or as soon as `signal` aborts (`work` itself goes on). */
function untilAborted(work: Promise<unknown>, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve();
  return Promise.race([work, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
}
