/**
 * One run while the runner tracks it. Its life, and the promises that mark it:
 *
 *   POST /api/runs ─▶ admission (runs.ts) ──session busy──▶ QUEUED ──session free──┐
 *                         │                     └──cancel──▶ ended "cancelled"       │
 *                         ▼                                                          ▼
 *                     LAUNCHED (run-start, status "running") ◀────────────────────────┘
 *                         │ stop the services in `stops`, target ready, preflight, `done` test, images
 *                         ├── preflight says skip/fail ─────▶ FINISHED skipped | failed
 *                         ├── `done` test holds ─────────────▶ FINISHED ok, already
 *                         ▼
 *                     EXECUTING ── exits ────────────────────▶ FINISHED ok | failed | cancelled
 *                         │ background step: port answers ──▶ FINISHED ok, still SERVING ── exits ─┐
 *                         ▼                                                                        ▼
 *                     EXITED: its processes are gone, the session is free, the queue moves on ◀─────┘
 *
 * FINISHED is `finished` + `settled` (the page's "done": status stored, run-end sent unless it
 * still serves); EXITED is `exited`. `endReason` says why the runner aborted it, if it did.
 */
import { isMessage, textOf, type Message, type Said } from '../../contract/messages.ts';
import type { ExpectReport, ServiceInfo, StepState } from '../../contract/protocol.ts';
import type { Step } from '../../contract/step-schema.ts';
import type { OutputLog } from './output-log.ts';

export interface ActiveRun {
  runId: string;
  step: Step;
  log: OutputLog;
  controller: AbortController;
  startedAt: number;
  service?: ServiceInfo;
  /** Why it was aborted, once it was. */
  endReason?: 'cancelled' | 'timeout';
  /** Settles with the state the page sees as "done": exit for a step, ready for a service. */
  settled: Promise<StepState>;
  /** Set by the first `finish`: a run ends once, whatever else reports on it later. */
  finished?: boolean;
  expect?: ExpectReport;
  /** Settles when the process has really exited (later than `settled` for a service). */
  exited: Promise<void>;
}

/** A request the runner refuses: `message` and `hint` in English, `msg` and `hintMsg` as codes for the page. */
export class RunRefused extends Error {
  readonly status: number;
  readonly hint?: string;
  readonly msg?: Message;
  readonly hintMsg?: Message;

  constructor(status: number, message: Said, hint?: Said) {
    super(textOf(message));
    this.status = status;
    if (hint !== undefined) this.hint = textOf(hint);
    if (isMessage(message)) this.msg = message;
    if (isMessage(hint)) this.hintMsg = hint;
  }
}

/**
 * Two runs that cannot run at once: the same step, or two foreground steps (the learner's one
 * terminal: a file written while the command before it still runs would race it). Services run
 * beside everything else.
 */
export function conflicts(a: Step, b: Step): boolean {
  if (a.id === b.id) return true;
  return !a.background && !b.background;
}
