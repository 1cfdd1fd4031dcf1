/**
 * A background step (a server): "ok" once its port answers, then it runs on as a service until it
 * is stopped or exits by itself. See the run's life in active-run.ts.
 */
import { say, sayBoth, type Said } from '../../contract/messages.ts';
import type { RunnerEvent } from '../../contract/protocol.ts';
import type { ExecResult } from '../executors/context.ts';
import type { ActiveRun } from './active-run.ts';
import { expectReport, type Outcome } from './outcomes.ts';
import { serviceUrl, waitUntilReady } from './readiness.ts';

export interface ServiceHooks {
  run: ActiveRun;
  /** The learner's port for a port of the target (an isolated lab may publish it elsewhere). */
  hostPort: (port: number) => number;
  /** Where the target's ports answer, when not 127.0.0.1 (a remote engine's host). */
  portHost?: string;
  emit: (stream: 'stdout' | 'stderr' | 'system', text: Said) => void;
  publish: (event: RunnerEvent) => void;
  publishServices: () => void;
  finish: (outcome: Outcome) => void;
  finishFromResult: (result: ExecResult, why?: Said) => void;
  endServed: (how: Said, url: string | undefined) => void;
}

export async function superviseService(
  hooks: ServiceHooks,
  execution: Promise<ExecResult>,
  stopTimeout: () => void,
): Promise<void> {
  const { run } = hooks;
  const { step, controller } = run;
  // Polling ends when the run is cancelled or times out, or when the process exits first.
  const polling = new AbortController();
  controller.signal.addEventListener('abort', () => polling.abort(), { once: true });
  const url = step.port !== undefined ? serviceUrl(hooks.hostPort(step.port), step.ready, hooks.portHost) : undefined;
  run.service = {
    stepId: step.id,
    runId: run.runId,
    port: step.port,
    url,
    state: 'starting',
    since: new Date().toISOString(),
  };
  hooks.publishServices();

  let exited = false;
  const readiness = (async () => {
    const ok =
      step.port === undefined
        ? true
        : await waitUntilReady(hooks.hostPort(step.port), step.ready, polling.signal, hooks.portHost);
    if (!ok || exited) return;
    stopTimeout(); // the timeout covers starting up; a ready service runs until stopped
    run.service = { ...run.service!, state: 'ready', since: new Date().toISOString() };
    hooks.publishServices();
    hooks.publish({ type: 'ready', runId: run.runId, stepId: step.id, url });
    hooks.emit('system', url ? say('status.ready', { url }) : say('status.started'));
    const expect = expectReport(step, run.log.text());
    if (expect && !expect.ok) {
      hooks.finish({
        status: 'failed',
        exitCode: null,
        ...sayBoth(say('service.output-differs')),
        expect,
      });
      controller.abort(); // a service that fails its check is not left running
      return;
    }
    hooks.finish({
      status: 'ok',
      exitCode: null,
      ...sayBoth(url ? say('service.serving', { url }) : say('service.background')),
      expect,
    });
  })().catch((error: unknown) => {
    // Nothing awaits this until the service exits: an error here must end the run, not the runner.
    hooks.emit('stderr', `runner error: ${(error as Error).message}\n`);
    hooks.finish({
      status: 'failed',
      exitCode: null,
      ...sayBoth(say('run.runner-error', { where: `step ${step.id}`, error: (error as Error).message })),
    });
    controller.abort();
  });

  const result = await execution;
  exited = true;
  polling.abort();
  await readiness;
  if (run.service?.state === 'ready') {
    const how = run.endReason
      ? say('service.stopped')
      : result.exitCode === null
        ? say('service.exited-signal')
        : say('service.exited', { code: String(result.exitCode) });
    hooks.emit('system', say('status.service-ended', { how }));
    hooks.endServed(how, url);
    return;
  }
  // Ended before it was ever ready.
  hooks.finishFromResult(
    result,
    step.port !== undefined ? say('service.exited-early', { port: String(step.port) }) : undefined,
  );
}
