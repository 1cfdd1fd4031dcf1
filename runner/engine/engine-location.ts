/**
 * Where the Docker engine the runner talks to is, and what follows from it for the lab:
 *
 * - A unix socket (or Windows' named pipe) is an engine on this machine: the lab can bind-mount
 *   the runner's workspace (`-v <ws>:<ws>`), and what it publishes is on 127.0.0.1.
 * - `tcp://` or `ssh://` (DOCKER_HOST, or the current docker context's endpoint) is taken as an
 *   engine elsewhere: its bind mounts would name paths on *its* disk, so the lab's workspace is a
 *   volume of its own that the runner copies in and out through the Engine API
 *   (targets/lab-workspace-sync.ts), and published ports are on the engine's host. A tcp://
 *   engine on this machine's loopback is treated the same way (it may be a tunnel to elsewhere;
 *   only the learner knows): `--workspace-in bind` says otherwise.
 *
 * The shared lab (`--network host` and the engine's socket) is refused on a remote engine: that
 * network and that engine are the remote machine's, not the learner's.
 *
 * Everything here but detectEngineEndpoint is pure, so the choices are unit-tested.
 */
import { docker } from './engine.ts';

/** How the lab gets the workspace: a bind mount of the runner's folder, or a volume of its own. */
export type WorkspacePlacement = 'bind' | 'volume';
export const WORKSPACE_PLACEMENTS: readonly WorkspacePlacement[] = ['bind', 'volume'];

export interface EngineLocation {
  /** The endpoint as the docker CLI uses it, e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`. */
  endpoint: string;
  /** Not on this machine's disk, as far as the runner can tell (tcp://, ssh://). */
  remote: boolean;
  /**
   * The address a port published by the engine answers on, for Open links and readiness checks:
   * 127.0.0.1 for a local engine or a loopback tcp:// one, else the endpoint's host.
   */
  portHost: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Classifies an engine endpoint (pure). An empty one is the CLI's default, the local socket. */
export function engineLocation(endpoint: string | undefined): EngineLocation {
  const text = (endpoint ?? '').trim();
  if (!text || text.startsWith('unix://') || text.startsWith('npipe://') || text.startsWith('fd://'))
    return { endpoint: text || 'unix:///var/run/docker.sock', remote: false, portHost: '127.0.0.1' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`Docker endpoint "${text}" is not a URL (expected unix://, tcp://host:port or ssh://user@host)`);
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'ssh:' && url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`Docker endpoint "${text}": ${url.protocol} is not an engine address the runner knows`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { endpoint: text, remote: true, portHost: !host || LOOPBACK_HOSTS.has(host) ? '127.0.0.1' : host };
}

/**
 * The endpoint the docker CLI will use: DOCKER_HOST when set, else the current context's (which
 * DOCKER_CONTEXT or `docker context use` chose). Undefined when the CLI cannot say (no CLI, an
 * old one): the caller then assumes the local socket, as the CLI would.
 */
export async function detectEngineEndpoint(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.DOCKER_HOST?.trim()) return env.DOCKER_HOST.trim();
  try {
    return (await docker(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `--workspace-in` (or $RUNNER_WORKSPACE_IN): bind, volume, or unset (chosen from the engine). */
export function parseWorkspacePlacement(value: string | undefined, origin: string): WorkspacePlacement | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (text === 'bind' || text === 'volume') return text;
  throw new Error(
    `${origin}: "${value}" is unknown; use bind (the lab mounts the runner's folder: an engine on this machine) ` +
      'or volume (the workspace travels with the lab: an engine elsewhere)',
  );
}

export interface LabPlan {
  placement: WorkspacePlacement;
  /** The lab design to use: isolated when the workspace travels, unless refused. */
  mode: 'isolated' | 'shared';
  /** One line for the runner's start-up output: which path was taken and why. */
  said: string;
}

/**
 * Chooses where the lab's workspace lives and checks the lab design against the engine (pure).
 * `mode` is the --lab the learner asked for (undefined: not asked, the default applies).
 * Throws the refusal of a shared lab on a remote engine.
 */
export function planLab(
  location: EngineLocation,
  asked: { placement?: WorkspacePlacement; mode?: 'isolated' | 'shared' },
): LabPlan {
  const placement = asked.placement ?? (location.remote ? 'volume' : 'bind');
  const why = asked.placement
    ? `as --workspace-in ${asked.placement} asks`
    : location.remote
      ? `the engine at ${location.endpoint} is not on this machine's disk`
      : `the engine at ${location.endpoint} is on this machine`;
  if (placement === 'volume' || location.remote) {
    if (asked.mode === 'shared') {
      throw new Error(
        `--lab shared cannot use the engine at ${location.endpoint}` +
          (location.remote ? ', which is on another machine' : ' with the workspace in a volume') +
          ": the shared lab joins the engine's host network (--network host) and mounts its socket, so its " +
          "ports and containers would be that machine's, not yours. Use --lab isolated (the lab's own engine, its ports published on the engine's host), " +
          'or unset DOCKER_HOST / switch the docker context to a local engine.',
      );
    }
    return {
      placement,
      mode: 'isolated',
      said:
        `Workspace: in a Docker volume of the lab, copied in and out through the engine (${why}); ` +
        `the lab's ports answer on ${location.portHost}.`,
    };
  }
  return {
    placement,
    mode: asked.mode ?? 'isolated',
    said: `Workspace: bind-mounted into the lab (${why}).`,
  };
}

/**
 * `--lab` and `--workspace-in` as given (or from the environment), checked against the engine the
 * CLI will use: the plan, and what RunnerApp needs of it (npm start and npm run verify alike).
 */
export async function resolveLabPlan(asked: { lab?: string; workspaceIn?: string }): Promise<{
  plan: LabPlan;
  location: EngineLocation;
  app: { labMode: 'isolated' | 'shared'; remoteEngine?: { endpoint: string; portHost: string } };
}> {
  const mode = asked.lab?.trim() || undefined; // RUNNER_LAB= (empty) is not set
  if (mode !== undefined && mode !== 'isolated' && mode !== 'shared')
    throw new Error(`--lab ${asked.lab}: expected isolated or shared`);
  const location = engineLocation(await detectEngineEndpoint());
  const plan = planLab(location, {
    placement: parseWorkspacePlacement(asked.workspaceIn, '--workspace-in'),
    mode,
  });
  const remoteEngine =
    plan.placement === 'volume' ? { endpoint: location.endpoint, portHost: location.portHost } : undefined;
  return { plan, location, app: { labMode: plan.mode, ...(remoteEngine && { remoteEngine }) } };
}
