/**
 * What one step shows, computed from the page model (step-model.ts): badge, buttons, the runner's
 * status line, the result lines and the Open link. Pure data, unit-tested; runnable-step.ts only
 * puts it into the server-rendered skeleton.
 */
import { shown } from './runner-messages.ts';
import { formatDuration } from '../../contract/format.ts';
import type { PageModel, StepInfo, StepView } from './step-model.ts';
import { openHref, serviceAddress, TEXT, type Shown } from './texts.ts';

export interface StepDisplay {
  badge: Shown;
  /** Run is usable (connected, nothing of this step running or queued). */
  canRun: boolean;
  /** Cancel / Stop is shown (running, serving or queued) and what it reads. */
  cancel?: { text: string; queued: boolean };
  runToHere: boolean;
  /** The runner's own line while it prepares, waits or queues (said once, apart from the output). */
  statusLine?: string;
  running: boolean;
  startedAt?: number;
  /** One line: result word, exit code, duration. */
  result?: { status: Shown; label: string; facts: string[] };
  /** Why it failed or was skipped, what the runner says about it. */
  message?: string;
  expect?: { ok: boolean; text: string; diff?: string };
  /** Cache-proof link to the page the step serves. */
  openUrl?: string;
  output: StepView['output'];
  /** The last verified output is shown only while the page has no output of its own for the step. */
  showVerified: boolean;
}

export function stepDisplay(
  id: string,
  model: PageModel,
  info: Record<string, StepInfo>,
  now = Date.now(),
): StepDisplay {
  const step = info[id]!;
  const view = model.steps[id] ?? { phase: 'idle', output: [] };
  const connected = model.connection === 'connected';
  const st = view.state;
  const stale = st !== undefined && st.hash !== step.hash;
  const serving = view.phase === 'running' && view.readyUrl !== undefined && step.background;

  let badge: Shown = 'idle';
  if (view.phase === 'queued') badge = 'queued';
  else if (serving) badge = 'ready';
  else if (view.phase === 'running') badge = 'running';
  else if (st && stale) badge = 'stale';
  else if (st?.already) badge = 'already';
  else if (st) badge = st.status;

  const running = view.phase === 'running' && !serving;
  const busy = view.phase === 'running' || view.phase === 'queued';
  const cancel = busy
    ? {
        text: view.phase === 'queued' ? TEXT.cancelQueued : step.background ? TEXT.stop : TEXT.cancel,
        queued: view.phase === 'queued',
      }
    : undefined;

  let statusLine: string | undefined;
  if (view.phase === 'queued') statusLine = TEXT.queuedLine;
  else if (serving) statusLine = TEXT.servingLine;
  else if (running) statusLine = view.statusLine ?? (step.background ? TEXT.startingLine : TEXT.runningLine);

  let result: StepDisplay['result'];
  let message: string | undefined;
  let expect: StepDisplay['expect'];
  if (st && st.status !== 'running' && !running && view.phase !== 'queued') {
    const facts: string[] = [];
    if (st.exitCode !== null && st.exitCode !== undefined && !st.already) facts.push(TEXT.exitCode(st.exitCode));
    if (st.durationMs !== null && st.durationMs !== undefined) facts.push(formatDuration(st.durationMs));
    if (view.outputOf !== 'live' && st.at) facts.push(timeAgo(st.at, now));
    const label = stale
      ? `${TEXT.status.stale} (${TEXT.status[st.status]})`
      : st.already
        ? TEXT.alreadyDone
        : TEXT.result[st.status];
    result = { status: stale ? 'stale' : st.already ? 'already' : st.status, label, facts: facts.filter(Boolean) };
    message = stale ? TEXT.staleLine : shown(st.msg, st.message);
    const report = view.expect;
    if (report && report.match !== 'none') {
      expect = {
        ok: report.ok,
        text: report.ok
          ? report.again
            ? TEXT.expectAgainOk(report.match)
            : TEXT.expectOk(report.match)
          : TEXT.expectBad(report.match),
        ...(!report.ok && report.diff && { diff: report.diff }),
      };
    }
  }

  return {
    badge,
    canRun: connected && !busy,
    cancel: connected ? cancel : undefined,
    runToHere: connected && !busy && !model.batch,
    statusLine,
    running,
    startedAt: running ? view.startedAt : undefined,
    result,
    message,
    expect,
    openUrl: connected ? openLink(step, view, model) : undefined,
    output: view.output,
    showVerified: !connected || (view.output.length === 0 && view.phase !== 'running'),
  };
}

/**
 * The Open link sits at the step: while its service serves, and after a `docker run -p` step while
 * a container of the tutorial still publishes its port.
 */
function openLink(step: StepInfo, view: StepView, model: PageModel): string | undefined {
  if (step.port === undefined || !view.runId) return undefined;
  const address = view.readyUrl ?? serviceAddress(step.port, step.ready ?? '/', model.target?.portHost);
  if (step.background) {
    const service = model.services.find((s) => s.runId === view.runId && s.state === 'ready');
    return service || (view.phase === 'running' && view.readyUrl) ? openHref(address, view.runId) : undefined;
  }
  const ok = view.state?.status === 'ok' && view.phase === 'finished';
  const published = model.containers.some((c) => c.hostPorts.includes(step.port!));
  return ok && published ? openHref(address, view.runId) : undefined;
}

function timeAgo(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const minutes = Math.round((now - then) / 60_000);
  if (minutes < 1) return TEXT.ago.now;
  if (minutes < 60) return TEXT.ago.minutes(minutes);
  const hours = Math.round(minutes / 60);
  if (hours < 24) return TEXT.ago.hours(hours);
  return new Date(then).toLocaleDateString();
}
