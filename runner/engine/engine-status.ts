/**
 * Is there a Docker engine we can use? The answer is either its versions or one message that says
 * what is wrong and what to type to fix it, because that message is shown to the learner as is.
 */
import { docker, DockerCommandError } from './engine.ts';

export type EngineStatus = { ok: true; serverVersion: string; apiVersion: string } | { ok: false; message: string };

export async function engineStatus(signal?: AbortSignal): Promise<EngineStatus> {
  try {
    const out = await docker(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'], { signal });
    const [serverVersion = '', apiVersion = ''] = out.trim().split(/\s+/);
    return { ok: true, serverVersion, apiVersion };
  } catch (error) {
    if (!(error instanceof DockerCommandError)) throw error;
    return { ok: false, message: explainEngineFailure(error) };
  }
}

/** Turns a failed `docker version` into what is wrong and how to fix it. */
export function explainEngineFailure(error: Pick<DockerCommandError, 'kind' | 'stderr' | 'message'>): string {
  const stderr = error.stderr;
  if (error.kind === 'not-installed') {
    return (
      'Docker is not installed: the `docker` command was not found on PATH. ' +
      'Install Docker Desktop (macOS, Windows) or the docker.io package (Debian/Ubuntu: `sudo apt-get install docker.io`), then try again.'
    );
  }
  if (/permission denied/i.test(stderr)) {
    return (
      'Docker is installed but this user may not talk to the engine (permission denied on its socket). ' +
      'Add yourself to the docker group with `sudo usermod -aG docker $USER`, then log out and in again (or run `newgrp docker`).'
    );
  }
  if (
    /cannot connect to the docker daemon|is the docker daemon running|connection refused|no such file or directory/i.test(
      stderr,
    )
  ) {
    return (
      'The Docker engine is not running (' +
      firstLine(stderr) +
      '). Start it: `sudo systemctl start docker` on a systemd Linux, `sudo dockerd &` where there is no systemd, ' +
      'or open Docker Desktop.'
    );
  }
  return `Docker does not answer: ${firstLine(stderr) || error.message}. Check that \`docker version\` works in a terminal.`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
