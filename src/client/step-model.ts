/**
 * What the page knows about runs, as one value computed from the runner's state and events: a
 * reducer, pure and unit-tested (step-model.test.ts). The custom elements only render it.
 *
 * Convergence: a fresh /api/state (page load, reconnect, reload) wins over what the page had (a
 * step the runner lists as active is running, one it lists as queued is queued, anything else
 * shows the runner's last status), except where the page already applied a newer event: a state
 * and the stream travel on two connections, so a state taken before a run ended can arrive after
 * that run's end. Events and states are numbered (RunnerState.seq), and the newer one wins. The event stream replays active runs' output after every
 * (re)connect, so a running step's output is rebuilt from the start each time; finished steps get
 * their output from the chapter's transcripts.
 */
import { shown, stopReason } from './runner-messages.ts';
import { TEXT } from './texts.ts';
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
  batchEnd?: { state: 'done' | 'stopped'; until?: string; current?: string; message?: string; skipped?: string[] };
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

const idle = (): StepView => ({ phase: 'idle', output: [] });

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

function adoptState(model: PageModel, state: RunnerState, info: Record<string, StepInfo>): PageModel {
  const steps: Record<string, StepView> = {};
  const active = new Map(state.active.map((a) => [a.stepId, a.runId]));
  const queued = new Map((state.queued ?? []).map((q) => [q.stepId, q.runId]));
  // Numbers compare only within one start of the runner; a restarted runner counts from 0 again.
  const sameRunner = model.instance === undefined || model.instance === state.instance;
  const newer = (seq: number | undefined) =>
    sameRunner && seq !== undefined && state.seq !== undefined && seq > state.seq;
  for (const id of Object.keys(info)) {
    const before = model.steps[id] ?? idle();
    if (newer(before.seq)) {
      steps[id] = before; // an event newer than this state already said more
      continue;
    }
    const st = state.steps[id];
    const runId = active.get(id);
    if (runId !== undefined) {
      const same = before.phase === 'running' && before.runId === runId;
      const service = state.services.find((s) => s.runId === runId && s.state === 'ready');
      steps[id] = {
        ...(same ? before : idle()),
        phase: 'running',
        runId,
        startedAt: same ? before.startedAt : st?.status === 'running' ? Date.parse(st.at) : Date.now(),
        // A service that is ready has finished as far as progress goes: keep its result.
        state: service && st && st.status !== 'running' ? st : undefined,
        readyUrl: service?.url ?? (same ? before.readyUrl : undefined),
        output: same ? before.output : [],
        outputOf: 'live',
      };
    } else if (queued.has(id)) {
      steps[id] = { ...before, phase: 'queued', runId: queued.get(id), statusLine: undefined };
    } else if (st && st.status !== 'running') {
      const same = before.runId === st.runId && before.phase === 'finished';
      steps[id] = {
        phase: 'finished',
        runId: st.runId,
        state: st,
        expect: same ? before.expect : undefined,
        output: same ? before.output : [],
        outputOf: same ? before.outputOf : undefined,
        // `docker run -p`: the link stays while a container still publishes the port.
        readyUrl: same ? before.readyUrl : undefined,
      };
    } else {
      steps[id] = idle();
    }
  }
  return {
    ...model,
    instance: state.instance,
    steps,
    services: state.services,
    containers: state.containers ?? [],
    target: state.target,
    ...(!newer(model.batchSeq) && {
      batch: state.batch,
      checkpointText: state.batch?.pausedAt ? info[state.batch.pausedAt]?.checkpoint : undefined,
    }),
  };
}

function adoptTranscripts(model: PageModel, transcripts: Transcript[]): PageModel {
  const steps = { ...model.steps };
  for (const t of transcripts) {
    const view = steps[t.stepId];
    // Only for the run the page shows as finished, and never over live output of that run.
    if (!view || view.phase !== 'finished' || view.runId !== t.runId || view.outputOf === 'live') continue;
    steps[t.stepId] = {
      ...view,
      output: commandLane(t.output),
      outputOf: 'transcript',
      expect: t.expect ?? view.expect,
    };
  }
  return { ...model, steps };
}

function commandLane(chunks: Transcript['output']): Chunk[] {
  const out: Chunk[] = [];
  for (const c of chunks) if (c.stream !== 'system') appendChunk(out, { stream: c.stream, text: c.text });
  return out;
}

function appendChunk(out: Chunk[], chunk: Chunk): void {
  const last = out.at(-1);
  if (last && last.stream === chunk.stream) out[out.length - 1] = { ...last, text: last.text + chunk.text };
  else out.push(chunk);
}

/** The last non-empty line of a system message: what the runner is doing now. */
function lastLine(text: string): string | undefined {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? undefined
  );
}

function applyEvent(
  model: PageModel,
  event: RunnerEvent,
  info: Record<string, StepInfo>,
  seq: number | undefined,
): PageModel {
  const setStep = (id: string, view: StepView, announce?: string): PageModel => ({
    ...model,
    steps: { ...model.steps, [id]: seq === undefined ? view : { ...view, seq } },
    ...(announce !== undefined && {
      announcement: { text: announce, seq: (model.announcement?.seq ?? 0) + 1 },
    }),
  });
  const name = (id: string) => info[id]?.name ?? id;

  switch (event.type) {
    case 'run-queued': {
      if (!info[event.stepId]) return model;
      const before = model.steps[event.stepId] ?? idle();
      return setStep(
        event.stepId,
        { ...before, phase: 'queued', runId: event.runId },
        `${name(event.stepId)}: ${TEXT.status.queued}`,
      );
    }
    case 'run-start': {
      if (!info[event.stepId]) return model;
      const at = Date.parse(event.at);
      return setStep(event.stepId, {
        phase: 'running',
        runId: event.runId,
        startedAt: Number.isNaN(at) ? Date.now() : at,
        output: [],
        outputOf: 'live',
      });
    }
    case 'output': {
      if (!info[event.stepId]) return model;
      let view = model.steps[event.stepId] ?? idle();
      if (view.runId !== event.runId) {
        // Missed its start (the stream opened mid-run): it runs now.
        view = { phase: 'running', runId: event.runId, startedAt: Date.now(), output: [], outputOf: 'live' };
      } else if (view.phase === 'finished' && !view.readyUrl) {
        return model; // late output of a run already shown as ended
      }
      if (event.stream === 'system') {
        const line = event.msg ? shown(event.msg, event.text) : lastLine(event.text);
        return line === undefined ? model : setStep(event.stepId, { ...view, statusLine: line });
      }
      // Appended as its own chunk, never merged into the last: the page renders only the chunks
      // it has not rendered yet, by count.
      const output = [...view.output, { stream: event.stream, text: event.text }];
      return setStep(event.stepId, { ...view, output, outputOf: 'live' });
    }
    case 'ready': {
      const view = model.steps[event.stepId];
      if (!view || view.runId !== event.runId) return model;
      const step = info[event.stepId];
      const url = event.url ?? (step?.port ? `http://127.0.0.1:${step.port}/` : undefined);
      return setStep(event.stepId, { ...view, readyUrl: url, statusLine: undefined });
    }
    case 'run-end': {
      if (!info[event.stepId]) return model;
      const before = model.steps[event.stepId] ?? idle();
      const sameRun = before.runId === event.runId;
      const step = info[event.stepId]!;
      const view: StepView = {
        phase: 'finished',
        runId: event.runId,
        state: event.state,
        expect: event.expect,
        output: sameRun ? before.output : [],
        outputOf: sameRun ? before.outputOf : undefined,
        // A service that ended no longer answers; what `docker run -d -p` started still does.
        readyUrl: !step.background && event.state.status === 'ok' && sameRun ? before.readyUrl : undefined,
      };
      const word = event.state.already ? TEXT.status.already : TEXT.status[event.state.status];
      return setStep(event.stepId, view, `${name(event.stepId)}: ${word}`);
    }
    case 'services': {
      // A background step that reaches "ready" is ok for progress while it keeps serving.
      return { ...model, services: event.services };
    }
    case 'containers':
      return { ...model, containers: event.containers };
    case 'target':
      return { ...model, target: event.target };
    case 'batch': {
      const batch =
        event.state === 'running' || event.state === 'paused'
          ? {
              batchId: event.batchId,
              chapter: event.chapter,
              until: event.until,
              current: event.current,
              ...(event.state === 'paused' && { pausedAt: event.current }),
            }
          : undefined;
      const next: PageModel = {
        ...model,
        batch,
        ...(seq !== undefined && { batchSeq: seq }),
        // The page's own text first: it is in the page's language (the runner's is the English chapter's).
        checkpointText: event.state === 'paused' ? (info[event.current ?? '']?.checkpoint ?? event.message) : undefined,
        batchEnd:
          event.state === 'done' || event.state === 'stopped'
            ? {
                state: event.state,
                until: event.until,
                current: event.current,
                message: stopReason(event.msg, event.message),
                skipped: event.skipped,
              }
            : event.state === 'running'
              ? undefined
              : model.batchEnd,
      };
      if (event.state === 'paused' && event.current) {
        return {
          ...next,
          announcement: {
            text: TEXT.toolbar.checkpoint(name(event.current), next.checkpointText),
            seq: (model.announcement?.seq ?? 0) + 1,
          },
        };
      }
      return next;
    }
    case 'progress':
      return {
        ...model,
        task: {
          task: event.task,
          message: shown(event.msg, event.message),
          done: event.done,
          total: event.total,
          final: event.final,
        },
      };
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
    if (st.status === 'ok') passed++;
    if (st.status === 'skipped') skipped.push({ id, reason: shown(st.msg, st.message) });
  }
  return { total: ids.length, passed, skipped };
}
