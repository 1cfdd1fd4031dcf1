/**
 * The Docker CLI as a function: `docker(['image', 'inspect', name])` resolves to its stdout, or
 * rejects with a DockerCommandError that carries the command line, exit code and stderr.
 * Everything in runner/engine and runner/images talks to the engine through here, so the learner's own CLI
 * configuration (context, DOCKER_HOST, credentials) applies as it would in their terminal.
 */
import { execFile } from 'node:child_process';

export interface DockerOptions {
  /** Aborting it terminates the docker process (SIGTERM) and rejects. */
  signal?: AbortSignal;
  /** Text written to the command's stdin (e.g. a Dockerfile for `build -f -`). */
  input?: string;
}

export class DockerCommandError extends Error {
  /** The command as one would type it, e.g. `docker image inspect python:3.13`. */
  readonly command: string;
  /** Undefined when the process did not exit normally (not found, killed, cancelled). */
  readonly exitCode: number | undefined;
  readonly stderr: string;
  /** `not-installed`: no docker CLI on PATH; `cancelled`: the signal was aborted. */
  readonly kind: 'failed' | 'not-installed' | 'cancelled';

  constructor(
    command: string,
    exitCode: number | undefined,
    stderr: string,
    reason: string,
    kind: DockerCommandError['kind'] = 'failed',
  ) {
    super(`${command} ${reason}${stderr ? `:\n${indent(stderr)}` : ''}`);
    this.name = 'DockerCommandError';
    this.command = command;
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.kind = kind;
  }
}

export async function docker(args: string[], options: DockerOptions = {}): Promise<string> {
  // node:child_process rather than execa here: this runs on the runner's hot path, and execa
  // would cost the long-running service ~20 MB (provisioning, a one-off, still uses execa).
  const command = ['docker', ...args.map(quoteForDisplay)].join(' ');
  return new Promise((resolve, reject) => {
    const child = execFile(
      'docker',
      args,
      { signal: options.signal, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderrText) => {
        if (!error) return resolve(stdout.replace(/\r?\n$/, ''));
        const stderr = stderrText.trim();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          return reject(
            new DockerCommandError(
              command,
              undefined,
              '',
              'failed: the docker CLI is not installed or not on PATH',
              'not-installed',
            ),
          );
        }
        if (options.signal?.aborted)
          return reject(new DockerCommandError(command, undefined, stderr, 'was cancelled', 'cancelled'));
        const exitCode = typeof code === 'number' ? code : undefined;
        const reason =
          exitCode === undefined ? `was ended by ${error.signal ?? 'a signal'}` : `exited with code ${exitCode}`;
        reject(new DockerCommandError(command, exitCode, stderr, reason));
      },
    );
    child.stdin?.end(options.input);
  });
}

/** True when the error says the object asked for does not exist (inspect of a missing image etc.). */
export function isNoSuchObject(error: unknown): boolean {
  return (
    error instanceof DockerCommandError &&
    /no such (object|image|container|network|volume)|not found/i.test(error.stderr)
  );
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
