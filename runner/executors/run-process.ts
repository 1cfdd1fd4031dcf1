/**
 * Runs a step's code in the learner's session on its target, streaming output as it arrives.
 * Shell, python and repl steps go to the target's session kernel (session/kernel.ts), which keeps
 * the learner's state in memory. A service (background step) runs as a process of its own, as
 * does a step that comes while the kernel is busy (a python step beside a running shell step):
 * `session.sh once` reads the same saved state.
 */
import { say } from '../../contract/messages.ts';
import type { ExecContext, ExecResult } from './context.ts';
import { kernelFor } from '../session/kernels.ts';
import { writeCode } from '../session/session-files.ts';

export type ProcessMode = 'shell' | 'background' | 'python' | 'repl';

const EXTENSION: Record<ProcessMode, string> = { shell: 'sh', background: 'sh', python: 'py', repl: 'pyin' };

export async function runInSession(ctx: ExecContext, mode: ProcessMode): Promise<ExecResult> {
  const { step, files, target, workspace } = ctx;
  const codeFile = writeCode(files, step.id, EXTENSION[mode], step.code);
  // A remote lab's workspace is a copy: it gets the code file (and what the runner wrote since) first.
  await target.syncWorkspace?.();
  const cwd = step.cwd ? workspace.resolve(step.cwd) : '';
  const kernel = mode === 'background' ? undefined : kernelFor(target, files, workspace.root);
  if (kernel && !kernel.busy && mode !== 'background') {
    const exitCode = await kernel.run({
      runId: ctx.runId,
      mode,
      cwd,
      file: codeFile,
      env: target.baseEnv(workspace.home),
      emit: (stream, text) => ctx.emit(stream, text),
      signal: ctx.signal,
    });
    await target.syncWorkspace?.(); // what the step wrote, back to the runner's folder
    return { exitCode };
  }
  const result = await runOnce(ctx, mode, codeFile, cwd);
  if (mode !== 'background') await target.syncWorkspace?.();
  return result;
}

/** One step, one process: `session.sh once` on the target. */
function runOnce(ctx: ExecContext, mode: ProcessMode, codeFile: string, cwd: string): Promise<ExecResult> {
  const { files, target, workspace } = ctx;
  const env = {
    ...target.baseEnv(workspace.home),
    STEP_STATE: files.stateDir,
    STEP_ROOT: workspace.root,
    STEP_CWD: cwd,
    STEP_MODE: mode,
    STEP_FILE: codeFile,
    STEP_DRIVER: files.replDriver,
    ...(target.fileOwner && { STEP_OWNER: target.fileOwner }),
  };
  const child = target.spawn(['bash', '--noprofile', '--norc', files.session, 'once'], {
    cwd: workspace.root,
    env,
    runId: ctx.runId,
  });
  child.stdin?.end();

  const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
    const decoder = new TextDecoder();
    stream?.on('data', (chunk: Buffer) => {
      const text = decoder.decode(chunk, { stream: true });
      if (text) ctx.emit(name, text);
    });
    stream?.on('end', () => {
      const rest = decoder.decode();
      if (rest) ctx.emit(name, rest);
    });
  };
  pipe(child.stdout, 'stdout');
  pipe(child.stderr, 'stderr');

  const kill = (graceMs?: number) =>
    target
      .killRun(ctx.runId, graceMs)
      .catch((error: Error) => ctx.emit('system', say('status.could-not-end', { error: error.message })));
  const stop = () => void kill();
  if (ctx.signal.aborted) stop();
  ctx.signal.addEventListener('abort', stop, { once: true });

  const closed = new Promise<void>((done) => child.once('close', () => done()));
  return new Promise<ExecResult>((resolve, reject) => {
    child.once('error', (error) => {
      ctx.signal.removeEventListener('abort', stop);
      reject(new Error(`could not start bash on the ${target.name} target: ${error.message}`));
    });
    // 'exit', not 'close': a `cmd &` child may hold the pipes open long after the step is done.
    child.once('exit', (code) => {
      ctx.signal.removeEventListener('abort', stop);
      // A finished step leaves nothing behind: end what it started with `&` (a service's
      // children too, once the service itself has ended), then let the pipes drain briefly.
      void kill(500).then(async () => {
        const timer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, 1000);
        await closed;
        clearTimeout(timer);
        resolve({ exitCode: code });
      });
    });
  });
}
