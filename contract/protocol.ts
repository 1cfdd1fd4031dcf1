/**
 * The runner's HTTP API, as types shared by the runner and the page script (src/client).
 * Every /api/ call carries the token: header `X-Runner-Token`, or `?token=` on the event stream
 * (EventSource cannot set headers).
 *
 *   GET  /api/health                      → Health
 *   GET  /api/state                       → RunnerState (statuses, active runs, services, target)
 *   GET  /api/events?chapter=<id>         → text/event-stream of RunnerEvent (replays active runs first)
 *   POST /api/runs        {id, hash}      → 202 {runId, queued} | 404 unknown step | 409 stale hash or already running
 *                                           (a step whose session is busy waits in the queue: `queued: true`)
 *   POST /api/runs/<runId>/cancel         → 202; cancels a run or a queued run, or stops a background service
 *   POST /api/containers/<name>/stop      → 202; stops a running container that a step created (labelled)
 *   POST /api/chapters/<id>/run {until?}  → 202 {batchId}; runs the chapter in order, stops at the first failure,
 *                                           pauses after a checkpoint step
 *   POST /api/chapters/<id>/continue      → 202; a batch paused at a checkpoint goes on
 *   POST /api/chapters/<id>/cancel        → 202; the chapter's batch (Run all, or setting its stage) stops
 *   GET  /api/chapters/<id>/transcripts   → Transcript[] of the chapter's steps that ran (a reload shows them)
 *   POST /api/chapters/<id>/reset         → 202; removes only what this chapter's steps made, forgets its statuses,
 *                                           then runs the earlier chapters' steps that set its stage where they have not passed
 *   GET  /api/session-log                 → SessionLog: the runs of this session in order, with their output
 *   GET  /api/steps/<id>/transcript       → Transcript of the last finished run | 404
 *   PUT  /api/target      {name}          → RunnerState; switches between "lab" and "host"
 *   POST /api/provision                   → 202; provisions images (progress as events)
 *   POST /api/yaml        {text}          → YamlResult; Python's yaml.safe_load of the text (data only, never code)
 *   POST /api/reset                       → 202; stops everything, removes the tutorial's Docker objects, empties the workspace
 *
 * The learner's own hands (runner/http/learner-routes.ts):
 *   GET  /api/steps/<id>/source           → StepSource: the shipped code of a step, for the page's editor
 *   POST /api/runs/edited {id, hash, code} → 202 {runId, queued}; runs the learner's version of a step
 *                                           (403 when the runner was started with --no-edited-runs)
 *   GET  /api/files                       → WorkspaceTree: the workspace as `tree` shows it
 *   GET  /api/files/content?path=<p>      → WorkspaceFile: a file's text (or binary / too large)
 *   PUT  /api/files/content {path, text}  → WorkspaceFile: saves a text file the steps made
 */

import type { Message } from './messages.ts';

export type RunStatus = 'running' | 'ok' | 'failed' | 'skipped' | 'cancelled';

export interface Health {
  ok: true;
  version: string;
  /** Steps in the loaded manifest. */
  steps: number;
}

export interface StepState {
  status: RunStatus;
  runId: string;
  exitCode: number | null;
  durationMs: number | null;
  /** One line: why it failed or was skipped, and what to try next (English, as the terminal prints it). */
  message?: string;
  /** The same line as a code, which the page renders in its own language (contract/messages.ts). */
  msg?: Message;
  /** ISO time the run ended (or started, while running). */
  at: string;
  /** Hash of the step when it ran; a status for an older hash is shown as stale. */
  hash: string;
  /** status ok, because the step's effect was already there (its `done` test held): not run again. */
  already?: boolean;
  /** The learner's edited version ran, not the shipped step (POST /api/runs/edited). */
  edited?: boolean;
}

export interface ServiceInfo {
  stepId: string;
  runId: string;
  port?: number;
  /** Link to open, e.g. http://127.0.0.1:8000/ */
  url?: string;
  state: 'starting' | 'ready';
  since: string;
}

/** A running container that a step created (`docker run -d ...`), with its published ports. */
export interface ContainerInfo {
  name: string;
  image: string;
  /** As `docker ps` shows them, e.g. "0.0.0.0:80->80/tcp". */
  ports: string;
  /** Host ports it publishes, for links. */
  hostPorts: number[];
}

export interface TargetInfo {
  name: 'lab' | 'host';
  description: string;
  /** Which image set is in use: official images ("online") or local stand-ins ("offline"). */
  profile?: 'online' | 'offline';
  profileReason?: string;
  /** `description` and `profileReason` as codes, for the page's language (contract/messages.ts). */
  descriptionMsg?: Message;
  profileReasonMsg?: Message;
  /**
   * Where the target's published ports answer, when not 127.0.0.1: a lab on a remote engine
   * publishes on that engine's host (runner/engine/engine-location.ts). Open links use it.
   */
  portHost?: string;
}

export interface RunnerState {
  /**
   * The number of the last event published when this state was taken (events carry theirs as
   * the SSE `id:`): a page that already applied a newer event keeps what that event said.
   */
  seq?: number;
  /** Different for every start of the runner: event numbers start again from 0 after a restart. */
  instance?: string;
  steps: Record<string, StepState>;
  services: ServiceInfo[];
  /** Running containers the tutorial's steps started (empty when Docker is not reachable). */
  containers: ContainerInfo[];
  target: TargetInfo;
  /** Ids of runs still in progress (to re-attach after a reload). */
  active: { runId: string; stepId: string }[];
  /** Runs waiting for their session to be free, in order. */
  queued?: { runId: string; stepId: string }[];
  batch?: {
    batchId: string;
    chapter: string;
    until?: string;
    current?: string;
    /** Set while Run all waits at a checkpoint step for the learner to continue. */
    pausedAt?: string;
    /** Setting the stage after "Reset this chapter" (see the batch event). */
    stage?: { done: number; total: number };
  };
}

export type OutputStream = 'stdout' | 'stderr' | 'system';

export type RunnerEvent =
  | { type: 'run-start'; runId: string; stepId: string; at: string }
  /** A Run that waits for the session to be free; it starts (run-start) or is cancelled (run-end) later. */
  | { type: 'run-queued'; runId: string; stepId: string; at: string }
  /** `msg`: a system line as a code, for the page to show in its language (`text` is the English). */
  | { type: 'output'; runId: string; stepId: string; stream: OutputStream; text: string; msg?: Message }
  | { type: 'ready'; runId: string; stepId: string; url?: string }
  | { type: 'run-end'; runId: string; stepId: string; state: StepState; expect?: ExpectReport }
  | { type: 'services'; services: ServiceInfo[] }
  | { type: 'containers'; containers: ContainerInfo[] }
  | {
      type: 'batch';
      batchId: string;
      chapter: string;
      until?: string;
      state: 'running' | 'done' | 'stopped' | 'paused';
      current?: string;
      message?: string;
      msg?: Message;
      /** Steps of the batch that were skipped (offline, say): a batch that ended with skips says so. */
      skipped?: string[];
      /**
       * Set while "Reset this chapter" sets the stage: the batch runs earlier chapters' steps
       * (runner/runs/stage.ts) for `chapter`; `done` of `total` are behind it.
       */
      stage?: { done: number; total: number };
    }
  /** `final`: the task is over (its line can go after a while). */
  | {
      type: 'progress';
      task: 'provision' | 'reset' | 'lab';
      message: string;
      msg?: Message;
      done?: number;
      total?: number;
      final?: boolean;
    }
  | { type: 'target'; target: TargetInfo };

export interface ExpectReport {
  match: 'exact' | 'contains' | 'regex' | 'none';
  ok: boolean;
  diff?: string;
  /** It matched what the chapter says a re-run prints (the output block marked `again`). */
  again?: boolean;
}

export interface Transcript {
  stepId: string;
  runId: string;
  state: StepState;
  output: { stream: OutputStream; text: string }[];
  expect?: ExpectReport;
  /** The run was of the learner's edited version: this is the code (or file content) that ran. */
  edited?: { code: string };
}

/** A step's shipped code, as the runner has it, for the page's editor. */
export interface StepSource {
  id: string;
  hash: string;
  kind: string;
  code: string;
  /** Whether this runner takes edited runs of it (kind, and the --no-edited-runs flag). */
  editable: boolean;
  /** Longest edited code the runner takes, in characters. */
  maxChars: number;
}

/** One entry of the workspace tree; `path` is relative to the workspace, with `/`. */
export interface WorkspaceEntry {
  name: string;
  path: string;
  type: 'dir' | 'file' | 'link' | 'other';
  size?: number;
  children?: WorkspaceEntry[];
}

export interface WorkspaceTree {
  entries: WorkspaceEntry[];
  /** More entries than the runner lists (see runner/workspace-files/tree.ts). */
  truncated?: boolean;
}

export interface WorkspaceFile {
  path: string;
  size: number;
  /** The text, for a UTF-8 text file small enough to show. */
  text?: string;
  binary?: boolean;
  tooLarge?: boolean;
  /** Text small enough to save from the page. */
  editable: boolean;
}

/** One finished run in the session log: what ran, how it ended, and what it printed. */
export interface SessionLogEntry {
  runId: string;
  stepId: string;
  chapter: string;
  /** The heading the step sits under, when it has one (the page names steps of its own chapter itself). */
  heading?: string;
  state: StepState;
  output: { stream: OutputStream; text: string }[];
  /** Bytes of output left out of the middle, before chunk `at` (the step's own transcript keeps up to the output cap). */
  omitted?: { bytes: number; at: number };
}

/** The runs of this session (since the last full Reset), oldest first. */
export interface SessionLog {
  entries: SessionLogEntry[];
  /** Older runs not listed (the log lists the latest ones). */
  older: number;
}

export interface YamlResult {
  ok: boolean;
  /** The loaded value as JSON (Python dicts → objects, lists → arrays). */
  value?: unknown;
  /** `msg`: the runner's own reason as a code, for the page's language (PyYAML's errors stay its own). */
  error?: { message: string; line?: number; column?: number; msg?: Message };
  python?: string;
}

export interface ApiError {
  error: string;
  /** What to try next. */
  hint?: string;
  /** `error` and `hint` as codes, for the page's language (contract/messages.ts). */
  msg?: Message;
  hintMsg?: Message;
}

export const TOKEN_HEADER = 'x-runner-token';
/** Output kept per run, for replay and transcripts; the rest is dropped with a notice. */
export const OUTPUT_CAP_BYTES = 1024 * 1024;
