/**
 * Where a step's processes run. The executors know only this interface; `host.ts` runs on this
 * machine, `lab.ts` inside the lab container "myserver01" that plays the post's VM.
 */
import type { ChildProcess } from 'node:child_process';
import type { Message, Said } from '../../contract/messages.ts';

export type TargetName = 'host' | 'lab';

export interface SpawnOptions {
  /** Absolute working directory; the workspace has the same absolute path on every target. */
  cwd: string;
  /** The complete environment of the process (not merged with the runner's own). */
  env: Record<string, string>;
  /** Marks every process of one run, so `killRun` finds the whole tree, even double-forked children. */
  runId: string;
}

export interface Target {
  readonly name: TargetName;
  /** One line for the page, e.g. "lab container myserver01 (Debian trixie)". */
  /** Where steps run, for the runner panel (contract/messages.ts: English and the page's language). */
  describe(): Message;
  /** Makes the target usable (starts the lab container); idempotent and fast when already up. */
  ensureReady(onProgress?: (message: Said) => void): Promise<void>;
  /** Starts `argv` with piped stdin, stdout and stderr. */
  spawn(argv: string[], options: SpawnOptions): ChildProcess;
  /** Ends every process started for `runId` (TERM, then KILL after `graceMs`). */
  killRun(runId: string, graceMs?: number): Promise<void>;
  /**
   * Where a server that listens on `port` in this target answers on the learner's machine, when
   * not the same port (an isolated lab of a classroom's learner publishes 8000 as, say, 18000).
   */
  hostPort?(port: number): number;
  /**
   * The address the target's published ports answer on, when not 127.0.0.1: a lab on a remote
   * engine publishes on that engine's host (engine/engine-location.ts).
   */
  readonly portHost?: string;
  /**
   * A target whose workspace is a copy (a lab on a remote engine): brings it level with the
   * runner's folder, both ways (targets/lab-workspace-sync.ts). Called before the target reads
   * what the runner wrote and after it wrote what the runner reads.
   */
  syncWorkspace?(): Promise<void>;
  /** The environment a fresh session starts from on this target (PATH, LANG, HOME, ...). */
  baseEnv(home: string): Record<string, string>;
  /**
   * Starts the target's session kernel, `bash <script> serve`, in `cwd` with piped stdio and an
   * environment that is not the learner's (see session/session.sh and session/kernel.ts).
   */
  openKernel(script: string, cwd: string): ChildProcess;
  /** `uid:gid` the workspace files steps create are handed back to after each step, if any. */
  readonly fileOwner?: string;
  /**
   * Ends processes by pid and process group on the target, then the run's tagged processes: for a
   * step whose kernel is gone (and its cancel channel with it).
   */
  killProcesses(runId: string, pids: number[], groups: number[]): Promise<void>;
}

/** Environment variable that tags a run's processes (read back from /proc/<pid>/environ). */
export const RUN_ID_ENV = 'TUTORIAL_RUN_ID';
