/**
 * The reducer's half for a whole /api/state (page load, reconnect, reload) and for a chapter's
 * transcripts: how they win over what the page had (see step-model.ts, Convergence).
 */
import type { RunnerState, Transcript } from '../../contract/protocol.ts';
import type { Chunk, PageModel, StepInfo, StepView } from './step-model.ts';

/** A step the runner knows nothing about yet. */
export const idleStep = (): StepView => ({ phase: 'idle', output: [] });

export function adoptState(model: PageModel, state: RunnerState, info: Record<string, StepInfo>): PageModel {
  const steps: Record<string, StepView> = {};
  const active = new Map(state.active.map((a) => [a.stepId, a.runId]));
  const queued = new Map((state.queued ?? []).map((q) => [q.stepId, q.runId]));
  // Numbers compare only within one start of the runner; a restarted runner counts from 0 again.
  const sameRunner = model.instance === undefined || model.instance === state.instance;
  const newer = (seq: number | undefined) =>
    sameRunner && seq !== undefined && state.seq !== undefined && seq > state.seq;
  for (const id of Object.keys(info)) {
    const before = model.steps[id] ?? idleStep();
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
        ...(same ? before : idleStep()),
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
      steps[id] = idleStep();
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

export function adoptTranscripts(model: PageModel, transcripts: Transcript[]): PageModel {
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
