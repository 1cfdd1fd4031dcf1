/**
 * Runs: admits requests from the page (or queues them while the session is busy), runs chapters
 * (batches.ts) and hands each run to the launcher (launch.ts). A run's life is drawn in
 * active-run.ts; what a new page is told of the runs, in replay.ts. The HTTP layer talks only to this.
 * Kept whole: admission, the queue, chapter batches (Run all, setting a stage) and pauses for a
 * reset share one state, and every change to it must wake the queue in one place (pump()).
 */
import { randomUUID } from 'node:crypto';
import type { Manifest } from '../../contract/manifest.ts';
import { say, sayBoth, type Message, type Said } from '../../contract/messages.ts';
import type { RunnerEvent, ServiceInfo, StepState } from '../../contract/protocol.ts';
import type { Step } from '../../contract/step-schema.ts';
import type { Machine } from '../preflight.ts';
import type { Target } from '../targets/target.ts';
import type { Workspace } from '../workspace.ts';
import { conflicts, RunRefused, type ActiveRun } from './active-run.ts';
import { runBatch, type Batch } from './batches.ts';
import { editedStep } from './edited-step.ts';
import { Launcher } from './launch.ts';
import type { LiveRuns } from './live-runs.ts';
import { batchView, replayEvents, servicesOf, type Queued } from './replay.ts';
import type { StatusStore } from './status-store.ts';
import type { Transcripts } from './transcripts.ts';

export { RunRefused };

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
  prepareImages?: (progress: (message: Said) => void) => Promise<void>;
  /** Run all pauses at checkpoint steps (default); `npm run verify` turns it off. */
  pauseAtCheckpoints?: boolean;
}

export class Runs {
  private readonly options: RunsOptions;
  private steps = new Map<string, Step>();
  private manifest: Manifest;
  private readonly active = new Map<string, ActiveRun>();
  /** Runs clicked while their session was busy, in click order. */
  private readonly queue: Queued[] = [];
  private readonly launcher: Launcher;
  /** Set while a reset or target switch runs: no new run may start in between. */
  /** What holds the runs, as the refusal a new run gets ("a reset is in progress"). */
  private pausedFor?: Message;
  private batch?: Batch;
  /** Batch steps waiting for their session (see launchWhenFree). */
  private waiters: (() => void)[] = [];

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
        options.status.set(id, { ...state, status: 'cancelled', ...sayBoth(say('run.stopped-with-runner')) });
      } else if (leftRunning.has(state.runId)) {
        options.status.set(id, { ...state, ...sayBoth(say('run.ended-with-runner')) });
      }
    }
    this.launcher = new Launcher({
      ...options,
      active: this.active,
      stopServices: (run, ids) => this.stopServices(run, ids),
      onExit: () => this.pump(),
      steps: () => this.manifest.steps,
    });
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

  /** Validates a request from the page and starts the run, or queues it while its session is busy. */
  start(stepId: string, hash: string): { runId: string; queued: boolean } {
    return this.admit(this.shipped(stepId, hash));
  }

  /**
   * The learner's edited version of a shipped step: found and checked by id and hash like any
   * run, then run with `code` in place of the step's own (edited-step.ts). The HTTP route refuses
   * it when the runner was started with --no-edited-runs (http/learner-routes.ts).
   */
  startEdited(stepId: string, hash: string, code: string): { runId: string; queued: boolean } {
    return this.admit(editedStep(this.shipped(stepId, hash), code));
  }

  /** The shipped step with this id and hash, or a refusal that says how the page differs. */
  private shipped(stepId: string, hash: string): Step {
    const step = this.steps.get(stepId);
    if (!step) {
      throw new RunRefused(404, say('refused.unknown-step', { step: stepId }), say('refused.unknown-step-hint'));
    }
    if (hash !== step.hash) {
      throw new RunRefused(409, say('refused.stale-page', { step: stepId }), say('refused.stale-page-hint'));
    }
    if (step.kind === 'manual') throw new RunRefused(400, say('refused.manual', { step: stepId }));
    return step;
  }

  private admit(step: Step): { runId: string; queued: boolean } {
    this.refuseIfPaused();
    for (const run of this.active.values()) {
      if (run.step.id === step.id) {
        throw new RunRefused(
          409,
          say('refused.running', { step: step.id }),
          run.service ? say('refused.running-service-hint') : say('refused.running-hint'),
        );
      }
    }
    if (this.queue.some((q) => q.step.id === step.id)) {
      throw new RunRefused(409, say('refused.queued', { step: step.id }), say('refused.queued-hint'));
    }
    if (this.mustWait(step)) {
      const queued: Queued = { runId: randomUUID(), step, at: new Date().toISOString() };
      this.queue.push(queued);
      this.options.publish({ type: 'run-queued', runId: queued.runId, stepId: step.id, at: queued.at });
      return { runId: queued.runId, queued: true };
    }
    return { runId: this.launcher.launch(step).runId, queued: false };
  }

  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (run) {
      run.endReason ??= 'cancelled';
      run.controller.abort();
      return true;
    }
    const at = this.queue.findIndex((q) => q.runId === runId);
    if (at === -1) return false;
    const [queued] = this.queue.splice(at, 1);
    const state: StepState = {
      status: 'cancelled',
      runId,
      exitCode: null,
      durationMs: 0,
      ...sayBoth(say('run.unqueued')),
      at: new Date().toISOString(),
      hash: queued!.step.hash,
    };
    this.options.status.set(queued!.step.id, state);
    this.options.publish({ type: 'run-end', runId, stepId: queued!.step.id, state });
    return true;
  }

  /** Runs a chapter's steps in order up to `until`, stopping at the first failure. */
  runChapter(chapterId: string, until?: string): { batchId: string } {
    const chapter = this.manifest.chapters.find((c) => c.id === chapterId);
    if (!chapter) throw new RunRefused(404, say('refused.unknown-chapter', { chapter: chapterId }));
    if (until !== undefined && !chapter.steps.includes(until)) {
      throw new RunRefused(400, say('refused.not-in-chapter', { step: until, chapter: chapterId }));
    }
    if (this.batch && !this.batch.stopped)
      throw new RunRefused(409, say('refused.chapter-running', { chapter: this.batch.chapter }));
    this.refuseIfPaused();
    // "Run to here" brings the chapter up to a step: what already passed (unchanged) is not redone.
    // "Run all" runs everything again; steps whose effect is there end as "already done".
    const upTo = until === undefined ? chapter.steps : chapter.steps.slice(0, chapter.steps.indexOf(until) + 1);
    const done = (id: string) => {
      const last = this.options.status.get(id);
      return (
        id !== until &&
        last?.hash === this.steps.get(id)!.hash &&
        !last.edited && // the learner's version passed, not the chapter's
        (last.status === 'ok' || last.status === 'skipped')
      );
    };
    const ids = until === undefined ? upTo : upTo.filter((id) => !done(id));
    return this.startBatch(
      { batchId: randomUUID(), chapter: chapterId, until, stopped: false },
      ids.map((id) => this.steps.get(id)!),
    );
  }

  /**
   * Sets the stage for `chapterId` (after its reset): runs `steps`, earlier chapters' steps that
   * have not passed (stage.ts), as a batch of this chapter, so its page shows the progress and
   * can cancel it. Stops at the first failure, like Run all.
   */
  setStage(chapterId: string, steps: Step[]): { batchId: string } {
    if (this.batch && !this.batch.stopped)
      throw new RunRefused(409, `chapter "${this.batch.chapter}" is already running`);
    this.refuseIfPaused();
    return this.startBatch(
      { batchId: randomUUID(), chapter: chapterId, stage: { done: 0, total: steps.length }, stopped: false },
      steps,
    );
  }

  /** The chapter's Cancel: ends the batch and its current run (which may be another chapter's step). */
  cancelChapter(chapterId: string): void {
    const batch = this.batch;
    if (!batch || batch.stopped || batch.chapter !== chapterId) {
      throw new RunRefused(409, `chapter "${chapterId}" is not running its steps`);
    }
    if (batch.runId && this.active.has(batch.runId)) {
      this.cancel(batch.runId); // the batch ends as "stopped at <step>: cancelled"
      return;
    }
    batch.stopped = true; // between two steps: the loop ends before the next
    batch.resume?.(false);
    for (const wake of this.waiters.splice(0)) wake();
  }

  private startBatch(batch: Batch, steps: Step[]): { batchId: string } {
    this.batch = batch;
    void runBatch(
      {
        publish: this.options.publish,
        serving: (step) =>
          [...this.active.values()].some((run) => run.step.id === step.id && run.service?.state === 'ready'),
        launchWhenFree: (step) => this.launchWhenFree(step, batch),
        pauseAtCheckpoints: this.options.pauseAtCheckpoints ?? true,
      },
      batch,
      steps,
    ).finally(() => this.pump());
    return { batchId: batch.batchId };
  }

  /** A batch paused at a checkpoint goes on (or, with `stop`, ends there). */
  continueChapter(chapterId: string, stop = false): void {
    const batch = this.batch;
    if (!batch || batch.stopped || batch.chapter !== chapterId || !batch.resume) {
      throw new RunRefused(409, say('refused.not-paused', { chapter: chapterId }));
    }
    batch.resume(!stop);
  }

  services(): ServiceInfo[] {
    return servicesOf(this.active.values());
  }

  activeRuns(): { runId: string; stepId: string }[] {
    return [...this.active.values()].map((run) => ({ runId: run.runId, stepId: run.step.id }));
  }

  queuedRuns(): { runId: string; stepId: string }[] {
    return this.queue.map((q) => ({ runId: q.runId, stepId: q.step.id }));
  }

  batchState() {
    return batchView(this.batch);
  }

  /** Events that bring a new subscriber up to date with runs in progress and in the queue. */
  replay(chapter?: string): RunnerEvent[] {
    return replayEvents(this.active.values(), this.queue, chapter);
  }

  /** Runs `work` (a reset, a target switch) with every run stopped and no new one allowed in. */
  async whilePaused<T>(reason: Message, work: () => Promise<T>): Promise<T> {
    if (this.pausedFor) throw new RunRefused(409, this.pausedFor, say('refused.busy-hint'));
    this.pausedFor = reason;
    try {
      await this.stopAll();
      return await work();
    } finally {
      this.pausedFor = undefined;
    }
  }

  private refuseIfPaused(): void {
    if (this.pausedFor) throw new RunRefused(409, this.pausedFor, say('refused.busy-run-hint'));
  }

  /** Stops every run, queued run, batch and service (Reset, shutdown, target switch). */
  async stopAll(): Promise<void> {
    if (this.batch) {
      this.batch.stopped = true;
      this.batch.resume?.(false);
    }
    for (const queued of [...this.queue]) this.cancel(queued.runId);
    const runs = [...this.active.values()];
    for (const run of runs) this.cancel(run.runId);
    await Promise.all(runs.map((run) => run.exited));
  }

  /** A single click waits while a conflicting run is in progress or a chapter runs its steps. */
  private mustWait(step: Step): boolean {
    if (this.batch && !this.batch.stopped && !this.batch.pausedAt) return true;
    return this.busy(step) || this.queue.some((q) => conflicts(q.step, step));
  }

  private busy(step: Step): boolean {
    return [...this.active.values()].some((run) => conflicts(run.step, step));
  }

  /** Starts the queued runs whose session is free, in order; called whenever a run exits. */
  private pump(): void {
    for (const wake of this.waiters.splice(0)) wake();
    if (this.pausedFor) return;
    if (this.batch && !this.batch.stopped && !this.batch.pausedAt) return; // the chapter goes first
    for (let i = 0; i < this.queue.length;) {
      const queued = this.queue[i]!;
      const earlier = this.queue.slice(0, i);
      if (this.busy(queued.step) || earlier.some((q) => conflicts(q.step, queued.step))) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.launcher.launch(queued.step, queued.runId);
    }
  }

  private async launchWhenFree(step: Step, batch: Batch): Promise<ActiveRun> {
    while (this.busy(step)) {
      if (batch.stopped) throw new Error('stopped');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.launcher.launch(step);
  }

  private async stopServices(run: ActiveRun, ids: string[]): Promise<void> {
    for (const id of ids) {
      const service = [...this.active.values()].find((r) => r.step.id === id && r.step.background);
      if (!service) continue;
      this.launcher.emit(run, 'system', say('status.stopping-first', { step: id }));
      this.cancel(service.runId);
      await service.exited;
    }
  }
}
