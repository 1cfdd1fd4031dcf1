/** The reducer's half for one event from the runner's stream (see step-model.ts). */
import { shown, stopReason } from './runner-messages.ts';
import { TEXT } from './texts.ts';
import type { RunnerEvent } from '../../contract/protocol.ts';
import type { PageModel, StepInfo, StepView } from './step-model.ts';
import { idleStep } from './step-model-state.ts';

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

export function applyEvent(
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
      const before = model.steps[event.stepId] ?? idleStep();
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
      let view = model.steps[event.stepId] ?? idleStep();
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
      const before = model.steps[event.stepId] ?? idleStep();
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
              ...(event.stage && { stage: event.stage }),
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
                ...(event.stage && { stage: event.stage }),
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
