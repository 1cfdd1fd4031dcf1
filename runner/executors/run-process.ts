/**
 * Runs a step's code through the session wrapper on its target, streaming output as it arrives.
 * Shell, background, python and repl steps all come through here.
 */
import type { ExecContext, ExecResult } from './context.ts';
import { writeCode } from '../session/session-files.ts';

export type ProcessMode = 'shell' | 'background' | 'python' | 'repl';

const EXTENSION: Record<ProcessMode, string> = { shell: 'sh', background: 'sh', python: 'py', repl: 'pyin' };

export async function runInSession(ctx: ExecContext, mode: ProcessMode): Promise<ExecResult> {
  const { step, files, target, workspace } = ctx;
  const codeFile = writeCode(files, step.id, EXTENSION[mode], step.code);
  const env = {
    ...target.baseEnv(workspace.home),
    STEP_STATE: files.stateDir,
    STEP_ROOT: workspace.root,
    STEP_CWD: step.cwd ? workspace.resolve(step.cwd) : '',
    STEP_MODE: mode,
    STEP_FILE: codeFile,
    STEP_DRIVER: files.replDriver,
  };
  const child = target.spawn(['bash', '--noprofile', '--norc', files.wrapper], {
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

  const stop = () => void target.killRun(ctx.runId);
  if (ctx.signal.aborted) stop();
  ctx.signal.addEventListener('abort', stop, { once: true });

  return new Promise<ExecResult>((resolve, reject) => {
    child.once('error', (error) => {
      ctx.signal.removeEventListener('abort', stop);
      reject(new Error(`could not start bash on the ${target.name} target: ${error.message}`));
    });
    child.once('close', (code) => {
      ctx.signal.removeEventListener('abort', stop);
      // Children started with `&` may outlive the wrapper; a finished step leaves nothing behind.
      if (mode !== 'background') void target.killRun(ctx.runId, 500);
      resolve({ exitCode: code });
    });
  });
}
