/** What every executor gets, and what it reports back. */
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
  emit(stream: OutputStream, text: string): void;
}

export interface ExecResult {
  /** null when the process was ended by a signal. */
  exitCode: number | null;
  /** One line for the page, e.g. "already applied". */
  message?: string;
}
