/**
 * The runner's terminals: one shell per target, in the learner's session there (the same saved
 * state the steps use; see session/terminal-rc.sh), started on the first attach and kept until
 * it exits or the runner stops.
 *
 * The pty is on this machine (pty-relay.py, Python's `pty` module). On the host it holds bash
 * itself; for the lab it holds `docker exec -it` into the lab container, whose client passes
 * keystrokes, output and window sizes through the engine. Every process is tagged with a run id
 * of its own, so the target's killRun ends it when the runner stops.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import { sessionFiles } from '../session/session-files.ts';
import { LabTarget } from '../targets/lab.ts';
import { RUN_ID_ENV, type Target, type TargetName } from '../targets/target.ts';
import type { Workspace } from '../workspace.ts';
import { TerminalSession, type TerminalSize } from './terminal-session.ts';

const RELAY = path.join(REPO_ROOT, 'runner/terminal/pty-relay.py');

export interface TerminalsOptions {
  /** The target steps run on now: a new terminal opens there. */
  target(): Target;
  workspace: Workspace;
}

interface Live {
  session: TerminalSession;
  target: Target;
  runId: string;
}

export class Terminals {
  private readonly options: TerminalsOptions;
  private readonly live = new Map<TargetName, Live>();
  private readonly starting = new Map<TargetName, Promise<Live>>();

  constructor(options: TerminalsOptions) {
    this.options = options;
  }

  /** The current target's terminal, started (at `size`) if none runs there. */
  async session(size: TerminalSize): Promise<TerminalSession> {
    const target = this.options.target();
    const running = this.live.get(target.name);
    if (running && !running.session.ended) return running.session;
    let starting = this.starting.get(target.name);
    if (!starting) {
      starting = this.start(target, size).finally(() => this.starting.delete(target.name));
      this.starting.set(target.name, starting);
    }
    return (await starting).session;
  }

  /** Hangs up every terminal and ends what runs in it (the runner is stopping). */
  async closeAll(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    for (const { session } of all) session.close('the runner stopped');
    await Promise.all(all.map(({ target, runId }) => target.killRun(runId, 500).catch(() => {})));
  }

  private async start(target: Target, size: TerminalSize): Promise<Live> {
    await target.ensureReady();
    const { workspace } = this.options;
    const files = sessionFiles(workspace, target.name);
    await target.syncWorkspace?.(); // a remote lab's workspace gets terminal-rc.sh
    const runId = `terminal-${randomUUID()}`;
    const env: Record<string, string> = {
      ...target.baseEnv(workspace.home),
      TUTORIAL_TERMINAL_SESSION: files.session,
      TUTORIAL_TERMINAL_STATE: files.stateDir,
      TUTORIAL_TERMINAL_ROOT: workspace.root,
      TUTORIAL_TERMINAL_OWNER: target.fileOwner ?? '',
      [RUN_ID_ENV]: runId,
    };
    const shell = ['bash', '--noprofile', '--rcfile', path.join(path.dirname(files.session), 'terminal-rc.sh'), '-i'];
    const lab = target instanceof LabTarget;
    const command = lab
      ? [
          'docker',
          'exec',
          '-it',
          '-w',
          workspace.root,
          ...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
          target.container,
          ...shell,
        ]
      : shell;
    const child = spawn('python3', [RELAY, String(size.rows), String(size.cols), '--', ...command], {
      cwd: workspace.root,
      // The docker client needs the runner's own environment (DOCKER_HOST, its config); the
      // host's shell gets the session's, as a step does.
      env: lab ? { ...process.env, [RUN_ID_ENV]: runId } : env,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: Ctrl+C in the runner's terminal is for the runner
    });
    const live: Live = {
      target,
      runId,
      session: new TerminalSession(child, () => {
        if (this.live.get(target.name) === live) this.live.delete(target.name);
        void target.killRun(runId, 500).catch(() => {}); // what the shell left running
      }),
    };
    this.live.set(target.name, live);
    return live;
  }
}
