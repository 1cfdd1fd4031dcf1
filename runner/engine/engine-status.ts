/**
 * Is there a Docker engine we can use? The answer is either its versions or one message that says
 * what is wrong and what to type to fix it, because that message is shown to the learner as is.
 */
import { english, say, type Message } from '../../contract/messages.ts';
import { docker, DockerCommandError } from './engine.ts';

/** `message` in English (terminal, CLI); `why`, the same as a code for the page (contract/messages.ts). */
export type EngineStatus =
  { ok: true; serverVersion: string; apiVersion: string } | { ok: false; message: string; why: Message };

export async function engineStatus(signal?: AbortSignal): Promise<EngineStatus> {
  try {
    const out = await docker(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'], { signal });
    const [serverVersion = '', apiVersion = ''] = out.trim().split(/\s+/);
    return { ok: true, serverVersion, apiVersion };
  } catch (error) {
    if (!(error instanceof DockerCommandError)) throw error;
    const why = engineFailure(error);
    return { ok: false, message: english(why), why };
  }
}

/** Turns a failed `docker version` into what is wrong and how to fix it (English). */
export function explainEngineFailure(error: Pick<DockerCommandError, 'kind' | 'stderr' | 'message'>): string {
  return english(engineFailure(error));
}

/** The same, as a message code (contract/messages.ts). */
export function engineFailure(error: Pick<DockerCommandError, 'kind' | 'stderr' | 'message'>): Message {
  const stderr = error.stderr;
  if (error.kind === 'not-installed') return say('engine.not-installed');
  if (/permission denied/i.test(stderr)) return say('engine.permission');
  if (
    /cannot connect to the docker daemon|is the docker daemon running|connection refused|no such file or directory/i.test(
      stderr,
    )
  ) {
    return say('engine.not-running', { detail: firstLine(stderr) });
  }
  return say('engine.no-answer', { detail: firstLine(stderr) || error.message });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
