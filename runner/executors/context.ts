/** What every executor gets, and what it reports back. */
import type { Said } from '../../contract/messages.ts';
import type { OutputStream } from '../../contract/protocol.ts';
import type { SessionFiles } from '../session/session-files.ts';
import type { Target } from '../targets/target.ts';
import type { Workspace } from '../workspace.ts';
import type { Step } from '../../contract/step-schema.ts';

export interface ExecContext {
  step: Step;
  runId: string;
  workspace: Workspace;
  target: Target;
  files: SessionFiles;
  /** Aborted on cancel or timeout; executors stop their processes when it fires. */
  signal: AbortSignal;
  /** Output; a `system` line of the runner's own may be a message code (contract/messages.ts). */
  emit(stream: OutputStream, text: Said): void;
}

export interface ExecResult {
  /** null when the process was ended by a signal. */
  exitCode: number | null;
  /** One line for the page, e.g. "already applied" (a message code where it has one). */
  message?: Said;
}
