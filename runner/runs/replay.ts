/**
 * What a page that subscribes now is told about the runs (the event stream's replay) and what
 * /api/state lists: read-outs of the runs in progress, the queue and the batch, nothing more.
 */
import type { RunnerEvent, ServiceInfo } from '../../contract/protocol.ts';
import type { Step } from '../../contract/step-schema.ts';
import type { ActiveRun } from './active-run.ts';
import type { Batch } from './batches.ts';

export interface Queued {
  runId: string;
  step: Step;
  at: string;
}

/** Events that bring a new subscriber up to date with runs in progress and in the queue. */
export function replayEvents(active: Iterable<ActiveRun>, queue: Queued[], chapter?: string): RunnerEvent[] {
  const events: RunnerEvent[] = [];
  for (const run of active) {
    if (chapter && run.step.chapter !== chapter) continue;
    const ids = { runId: run.runId, stepId: run.step.id };
    events.push({ type: 'run-start', ...ids, at: new Date(run.startedAt).toISOString() });
    for (const chunk of run.log.chunks) events.push({ type: 'output', ...ids, ...chunk });
    if (run.service?.state === 'ready') events.push({ type: 'ready', ...ids, url: run.service.url });
  }
  for (const queued of queue) {
    if (chapter && queued.step.chapter !== chapter) continue;
    events.push({ type: 'run-queued', runId: queued.runId, stepId: queued.step.id, at: queued.at });
  }
  return events;
}

export function servicesOf(active: Iterable<ActiveRun>): ServiceInfo[] {
  return [...active].flatMap((run) => (run.service ? [run.service] : []));
}

/** The batch as /api/state shows it; undefined once it stopped. */
export function batchView(batch: Batch | undefined) {
  return batch && !batch.stopped
    ? {
        batchId: batch.batchId,
        chapter: batch.chapter,
        until: batch.until,
        current: batch.current,
        ...(batch.pausedAt && { pausedAt: batch.pausedAt }),
        ...(batch.stage && { stage: { ...batch.stage } }),
      }
    : undefined;
}
