/**
 * How the lab container reaches the host's Docker engine, so `docker build` and `docker run` typed
 * in the lab create their containers beside it, as on the post's VM. A unix socket (DOCKER_HOST or
 * the default /var/run/docker.sock) is mounted at the default path inside; a tcp:// engine is
 * reached over the shared host network with DOCKER_HOST set.
 */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface EngineAccess {
  /** Extra `docker run` arguments for the lab container. */
  runArgs: string[];
  /** Variables the lab's sessions need (added to LabTarget.baseEnv). */
  env: Record<string, string>;
}

export function labEngineAccess(dockerHost: string | undefined = process.env.DOCKER_HOST): EngineAccess {
  const host = dockerHost?.trim();
  if (!host) return { runArgs: ['-v', `${DEFAULT_DOCKER_SOCKET}:${DEFAULT_DOCKER_SOCKET}`], env: {} };
  if (host.startsWith('unix://')) {
    const socket = host.slice('unix://'.length);
    return { runArgs: ['-v', `${socket}:${DEFAULT_DOCKER_SOCKET}`], env: {} };
  }
  if (host.startsWith('tcp://')) return { runArgs: ['-e', `DOCKER_HOST=${host}`], env: { DOCKER_HOST: host } };
  throw new Error(
    `DOCKER_HOST=${host}: the lab container can reach a Docker engine through a unix socket (unix://...) or tcp://, ` +
      'not this. Unset DOCKER_HOST to use the default socket, or use the host target.',
  );
}
