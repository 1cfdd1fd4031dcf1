/**
 * How a finished run reads on the page: the status words, and the summary under the output
 * (result, exit code, duration, message, expected-output verdict and diff). Text only, never HTML.
 */
import type { ExpectReport, RunStatus, StepState } from '../../contract/protocol.ts';
import { formatDuration } from '../../contract/format.ts';

/** What a step's badge can show: a run status, or one of the page's own states. */
export type Shown = 'idle' | RunStatus | 'ready' | 'stale';

export const STATUS_TEXT: Record<Shown, string> = {
  idle: 'not run',
  running: 'running',
  ready: 'ready',
  ok: 'ok',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
  stale: 'stale',
};

const RESULT_TEXT: Record<RunStatus, string> = {
  running: 'Running',
  ok: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

export interface ResultView {
  /** Short lines for the live region: result, message, verdict. */
  summary: Node[];
  /** Long parts kept out of the live region: the diff. */
  details: Node[];
}

/**
 * `stale`: the status belongs to an older version of the step. `withAge`: add "5 min ago" (for
 * statuses loaded with the page, not for a run that just ended).
 */
export function describeResult(
  stepId: string,
  st: StepState,
  expect: ExpectReport | undefined,
  { stale = false, withAge = false } = {},
): ResultView {
  const line = make('p', 'step-result');
  line.dataset.status = stale ? 'stale' : st.status;
  const label = stale ? `Stale (last run: ${STATUS_TEXT[st.status]})` : RESULT_TEXT[st.status];
  line.append(make('strong', 'step-result-label', label));
  if (st.exitCode !== null && st.exitCode !== undefined) line.append(` · exit code ${st.exitCode}`);
  if (st.durationMs !== null && st.durationMs !== undefined) line.append(` · ${formatDuration(st.durationMs)}`);
  if (withAge && st.at) line.append(` · ${timeAgo(st.at)}`);

  const summary: Node[] = [line];
  const details: Node[] = [];
  if (stale) summary.push(make('p', 'step-message', 'This step has changed since that run; run it again to update.'));
  if (st.message) summary.push(make('p', 'step-message', st.message));
  if (expect && expect.match !== 'none') {
    const verdict = make(
      'p',
      'step-expect',
      expect.ok
        ? `✓ Output matches the expected output (${expect.match}).`
        : `✗ Output does not match the expected output (${expect.match}).`,
    );
    verdict.dataset.ok = String(expect.ok);
    summary.push(verdict);
    if (!expect.ok && expect.diff) {
      const diff = make('pre', 'step-diff');
      diff.tabIndex = 0; // scrollable, so reachable by keyboard
      diff.setAttribute('aria-label', `Difference from the expected output of ${stepId}`);
      diff.append(...diffLines(expect.diff));
      details.push(diff);
    }
  }
  return { summary, details };
}

/** One block per line, added/removed lines marked by class. */
function diffLines(diff: string): Node[] {
  return diff
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const cls = line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : 'diff-same';
      return make('span', cls, line || ' ');
    });
}

function timeAgo(iso: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const minutes = Math.round((Date.now() - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(then).toLocaleDateString();
}
