/**
 * The page's one model of runs (step-model.ts), fed by the runner connection: every state and
 * event goes through the reducer, and the elements re-render from the result. Also loads the
 * chapter's transcripts when finished steps have no output on the page yet (after a reload), and
 * keeps the last known statuses for a visit without a runner.
 */
import type { Transcript } from '../../contract/protocol.ts';
import { runner } from './runner-connection.ts';
import { tokenStorage } from './runner-token.ts';
import { initialModel, reduce, type Action, type PageModel, type StepInfo } from './step-model.ts';

type Listener = (model: PageModel) => void;

const LAST_KNOWN_KEY = 'runner-last-known';
/** How long a finished task's line ("Reset: done") stays. */
const TASK_LINE_MS = 8000;

/** Statuses by step id as last seen, so pages can show progress while no runner is up. */
export type LastKnown = Record<string, { status: string; hash: string; runId: string; at: string }>;

class PageStore {
  model: PageModel = initialModel();
  readonly info: Record<string, StepInfo> = {};
  private listeners = new Set<Listener>();
  private chapter = '';
  private started = false;
  private notifyQueued = false;
  private transcriptsLoading = false;
  private taskTimer: ReturnType<typeof setTimeout> | undefined;

  /** A step element announces itself before the first render. */
  register(step: StepInfo): void {
    this.info[step.id] = step;
  }

  start(chapter: string): void {
    if (this.started) return;
    this.started = true;
    this.chapter = chapter;
    runner.start(chapter);
    runner.subscribe({
      connection: (connection) => this.dispatch({ type: 'connection', connection }),
      state: (state) => this.dispatch({ type: 'state', state }),
      event: (event, seq) => this.dispatch({ type: 'event', event, seq }),
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.model);
    return () => this.listeners.delete(listener);
  }

  dispatch(action: Action): void {
    this.model = reduce(this.model, action, this.info);
    if (action.type === 'state') this.saveLastKnown();
    if (action.type === 'state' || (action.type === 'event' && action.event.type === 'run-end')) {
      void this.loadTranscriptsIfMissing();
    }
    if (action.type === 'event' && action.event.type === 'progress' && action.event.final) {
      clearTimeout(this.taskTimer);
      this.taskTimer = setTimeout(() => this.dispatch({ type: 'task-expired' }), TASK_LINE_MS);
    }
    if (action.type === 'event' && action.event.type === 'progress' && action.event.task === 'reset') {
      void runner.refresh();
    }
    // One render per burst of events (a fast step prints many lines in one task).
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const listener of this.listeners) listener(this.model);
    });
  }

  readLastKnown(): LastKnown {
    try {
      return JSON.parse(tokenStorage()?.getItem(LAST_KNOWN_KEY) ?? '{}') as LastKnown;
    } catch {
      return {};
    }
  }

  private saveLastKnown(): void {
    const known = this.readLastKnown();
    for (const [id, view] of Object.entries(this.model.steps)) {
      const st = view.state;
      if (st && st.status !== 'running') known[id] = { status: st.status, hash: st.hash, runId: st.runId, at: st.at };
      else if (view.phase === 'idle') delete known[id];
    }
    try {
      tokenStorage()?.setItem(LAST_KNOWN_KEY, JSON.stringify(known));
    } catch {
      // quota or disabled storage: progress without a runner is only a convenience
    }
  }

  private async loadTranscriptsIfMissing(): Promise<void> {
    const missing = Object.values(this.model.steps).some(
      (view) => view.phase === 'finished' && view.runId && view.outputOf === undefined,
    );
    if (!missing || this.transcriptsLoading || this.model.connection !== 'connected') return;
    this.transcriptsLoading = true;
    try {
      const transcripts = await runner.json<Transcript[]>(
        `/api/chapters/${encodeURIComponent(this.chapter)}/transcripts`,
      );
      this.dispatch({ type: 'transcripts', transcripts });
    } catch {
      // the next state tries again
    } finally {
      this.transcriptsLoading = false;
    }
  }
}

// One store per page, even if two bundles each import this module.
const key = Symbol.for('tutorial.page-store');
const holder = globalThis as unknown as Record<symbol, PageStore | undefined>;
export const store: PageStore = (holder[key] ??= new PageStore());
