/**
 * What the page knows about runs, as one value computed from the runner's state and events: a
 * reducer, pure and unit-tested (step-model.test.ts). The custom elements only render it. A state
 * is adopted in step-model-state.ts, an event applied in step-model-events.ts.
 *
 * Convergence: a fresh /api/state (page load, reconnect, reload) wins over what the page had (a
 * step the runner lists as active is running, one it lists as queued is queued, anything else
 * shows the runner's last status), except where the page already applied a newer event: a state
 * and the stream travel on two connections, so a state taken before a run ended can arrive after
 * that run's end. Events and states are numbered (RunnerState.seq), and the newer one wins. The event stream replays active runs' output after every
 * (re)connect, so a running step's output is rebuilt from the start each time; finished steps get
 * their output from the chapter's transcripts.
 */
import { shown } from './runner-messages.ts';
import type {
  ContainerInfo,
  ExpectReport,
  RunnerEvent,
  RunnerState,
  ServiceInfo,
  StepState,
  TargetInfo,
  Transcript,
} from '../../contract/protocol.ts';
import { applyEvent } from './step-model-events.ts';
import { adoptState, adoptTranscripts } from './step-model-state.ts';

export type ConnectionState = 'checking' | 'absent' | 'unauthorized' | 'connected';

/** What the page knows of a step without a runner: from the server render. */
export interface StepInfo {
  id: string;
  name: string;
  hash: string;
  background: boolean;
  port?: number;
  ready?: string;
  checkpoint?: string;
}

export interface Chunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface StepView {
  phase: 'idle' | 'queued' | 'running' | 'finished';
  runId?: string;
  /** ms since epoch, while running. */
  startedAt?: number;
  /** The finished run's state (also kept while a service still serves). */
  state?: StepState;
  expect?: ExpectReport;
  /** What the commands printed (the command lane). */
  output: Chunk[];
  /** Where `output` came from: the live stream of this run, its transcript, or nothing yet. */
  outputOf?: 'live' | 'transcript';
  /** The runner's own latest line while it prepares or waits (the status lane). */
  statusLine?: string;
  /** Set when the run's server answers (a service, or `docker run -p`). */
  readyUrl?: string;
  /** Number of the last event that changed this step (see RunnerState.seq). */
  seq?: number;
}

export interface Announcement {
  text: string;
  /** Increases with every announcement, so the same words are announced again. */
  seq: number;
}

export interface PageModel {
  connection: ConnectionState;
  steps: Record<string, StepView>;
  services: ServiceInfo[];
  containers: ContainerInfo[];
  target?: TargetInfo;
  batch?: RunnerState['batch'];
  /** How the chapter's last batch ended, until the next starts. */
  batchEnd?: {
    state: 'done' | 'stopped';
    until?: string;
    current?: string;
    message?: string;
    skipped?: string[];
    /** It was setting the chapter's stage after a reset (its steps are earlier chapters'). */
    stage?: { done: number; total: number };
  };
  /** The checkpoint text while a batch waits there. */
  checkpointText?: string;
  task?: { task: 'provision' | 'reset' | 'lab'; message: string; done?: number; total?: number; final?: boolean };
  announcement?: Announcement;
  /** Number of the last batch event applied. */
  batchSeq?: number;
  /** Which start of the runner the numbers belong to (RunnerState.instance). */
  instance?: string;
}

export type Action =
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'state'; state: RunnerState }
  | { type: 'event'; event: RunnerEvent; seq?: number }
  | { type: 'transcripts'; transcripts: Transcript[] }
  | { type: 'task-expired' };

export function initialModel(): PageModel {
  return { connection: 'checking', steps: {}, services: [], containers: [] };
}

export function reduce(model: PageModel, action: Action, info: Record<string, StepInfo>): PageModel {
  switch (action.type) {
    case 'connection':
      return { ...model, connection: action.connection };
    case 'state':
      return adoptState(model, action.state, info);
    case 'transcripts':
      return adoptTranscripts(model, action.transcripts);
    case 'task-expired':
      return model.task?.final ? { ...model, task: undefined } : model;
    case 'event':
      return applyEvent(model, action.event, info, action.seq);
  }
}

/** Steps that passed (ok, already done, or serving), skipped (with why), and the rest. */
export function chapterProgress(
  model: PageModel,
  info: Record<string, StepInfo>,
): { total: number; passed: number; skipped: { id: string; reason?: string }[] } {
  const ids = Object.keys(info);
  let passed = 0;
  const skipped: { id: string; reason?: string }[] = [];
  for (const id of ids) {
    const view = model.steps[id];
    // A service that answers has passed, though its run goes on (its result comes when it stops).
    if (view?.phase === 'running' && info[id]!.background && view.readyUrl && !view.state) {
      passed++;
      continue;
    }
    const st = view?.state;
    if (!st || st.hash !== info[id]!.hash) continue;
    if (st.status === 'ok' && !st.edited) passed++; // the learner's own version passed, not the chapter's
    if (st.status === 'skipped') skipped.push({ id, reason: shown(st.msg, st.message) });
  }
  return { total: ids.length, passed, skipped };
}
