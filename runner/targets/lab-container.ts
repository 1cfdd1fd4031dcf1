/**
 * How the lab container myserver01 is made: its `docker run` arguments, when an existing one can
 * be reused, and waiting for its own engine. Two designs (README, "Where steps run"):
 *
 * - `isolated` (default): the lab runs a Docker engine of its own, in its own network namespace.
 *   Its ports (8000, 80, and any other port a step names) are published to the learner's
 *   127.0.0.1, so `runserver 0.0.0.0:8000` in the lab and `docker run -p 8000:8000` inside it both
 *   answer on 127.0.0.1:8000, with no host networking. The engine's state lives in a volume of
 *   its own; the host's engine is out of reach (no socket, no host network).
 * - `shared`: the lab shares the host's network and Docker engine (`--network host` and the
 *   engine's socket). No nested engine, so it works where one cannot run (rootless Docker, Podman).
 *
 * Everything here is pure except waitForLabEngine, so the choices are unit-tested.
 */
import { docker } from '../engine/engine.ts';
import { LAB_LABEL, TUTORIAL_LABEL } from '../engine/labels.ts';
import { LAB_CONTAINER, LAB_ENGINE_IMAGE, LAB_IMAGE } from '../images/recipes.ts';

export type LabMode = 'isolated' | 'shared';
export const LAB_MODES: readonly LabMode[] = ['isolated', 'shared'];

/** Ports the chapters open in the lab, published to the learner's loopback. */
export const DEFAULT_LAB_PORTS = [8000, 80];

/** Volume holding an isolated lab's /var/lib/docker; Reset removes it with the lab. */
export function engineVolume(container: string): string {
  return `runnable-tutorial-${container}-engine`;
}
export const LAB_ENGINE_VOLUME = engineVolume(LAB_CONTAINER);
/**
 * Volume holding the workspace of a lab on a remote engine (mounted at the workspace's path, in
 * place of the bind mount of the runner's folder; see lab-workspace-sync.ts). Reset removes it.
 */
export function workspaceVolume(container: string): string {
  return `runnable-tutorial-${container}-workspace`;
}
/** Volume holding the shared image store, mounted read-only into every isolated lab. */
export const LAB_MIRROR_VOLUME = 'runnable-tutorial-lab-mirror';
/** Where lab-engine.sh looks for the store. */
export const MIRROR_MOUNT = '/var/lib/lab-mirror';
/** Label on the lab container: which design it was made for. */
export const LAB_MODE_LABEL = 'runnable-tutorial.lab-mode';

/**
 * What a nested engine needs, without --privileged (which fails where the machine's capability
 * bounding set lacks CAP_SYS_RESOURCE): every capability but that one, no seccomp or AppArmor
 * profile, /proc and /sys unmasked, and the cgroup tree writable for the engine's containers.
 */
export const NESTED_ENGINE_FLAGS = [
  '--cap-add=ALL',
  '--cap-drop=SYS_RESOURCE',
  '--security-opt',
  'seccomp=unconfined',
  '--security-opt',
  'apparmor=unconfined',
  '--security-opt',
  'systempaths=unconfined',
  '-v',
  '/sys/fs/cgroup:/sys/fs/cgroup:rw',
];

export interface LabSpec {
  mode: LabMode;
  /** The container's name (its hostname is always myserver01, the post's VM). Default myserver01. */
  name?: string;
  /** Isolated: the learner's port for a lab port, when not the same number (a classroom's learners). */
  hostPorts?: Record<number, number>;
  /** Absolute, symlink-free; mounted at the same path inside. */
  workspace: string;
  /**
   * A remote engine: the workspace is this volume, mounted at the workspace's path, not a bind
   * mount of the runner's folder (which would name a path on the engine's own disk).
   */
  workspaceVolume?: string;
  /** Isolated only: published as 127.0.0.1:<port>:<port>. */
  ports: number[];
  /**
   * Isolated: the engine's address the ports are published on (default 127.0.0.1). A remote
   * engine whose host is not loopback publishes on all of its addresses, or no one could reach them.
   */
  publishOn?: string;
  /** Shared only: how the lab reaches the host's engine (engine-access.ts). */
  engineAccess?: string[];
  /** Isolated only: mount the shared image store (absent until the first Docker step seeds it). */
  mirror: boolean;
  /**
   * Isolated: limits for the whole lab, its own engine's containers included (lab-engine.sh puts
   * them under the lab's cgroup). A classroom sets them per learner.
   */
  limits?: LabLimits;
  /** Isolated: a Docker network of the lab's own, so labs of a classroom cannot reach each other. */
  network?: string;
}

export interface LabLimits {
  /** e.g. `1g` (docker's --memory; swap is not added on top). */
  memory?: string;
  /** e.g. 1.5 (docker's --cpus). */
  cpus?: number;
  /** Most processes at once (docker's --pids-limit): a fork bomb stops there. */
  pids?: number;
}

/** `docker run` arguments for the limits. */
export function limitArgs(limits: LabLimits | undefined): string[] {
  if (!limits) return [];
  const args: string[] = [];
  if (limits.memory) args.push('--memory', limits.memory, '--memory-swap', limits.memory);
  if (limits.cpus !== undefined) args.push('--cpus', String(limits.cpus));
  if (limits.pids !== undefined) args.push('--pids-limit', String(limits.pids));
  return args;
}

export function labImage(mode: LabMode): string {
  return mode === 'isolated' ? LAB_ENGINE_IMAGE : LAB_IMAGE;
}

export function parseLabMode(value: string | undefined, origin: string): LabMode {
  const mode = (value ?? 'isolated').trim();
  if (mode === 'isolated' || mode === 'shared') return mode;
  throw new Error(`${origin}: lab mode "${value}" is unknown; use isolated (its own engine) or shared (the host's)`);
}

/** The ports to publish: the defaults plus every `port=` a step of the manifest names. */
export function labPorts(stepPorts: (number | undefined)[]): number[] {
  const ports = new Set(DEFAULT_LAB_PORTS);
  for (const port of stepPorts) if (port !== undefined) ports.add(port);
  return [...ports].sort((a, b) => a - b);
}

/** `18000:8000,18080:80` → {8000: 18000, 80: 18080}: the learner's port for each lab port. */
export function parsePortMap(text: string): Record<number, number> {
  const map: Record<number, number> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const match = /^(\d{1,5}):(\d{1,5})$/.exec(pair.trim());
    const [host, lab] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
    if (!match || host < 1 || host > 65535 || lab < 1 || lab > 65535)
      throw new Error(`"${pair}" is not HOST:LAB, two port numbers like 18000:8000`);
    map[lab] = host;
  }
  return map;
}

/** `docker run` arguments (after `run -d`) for the lab container. */
export function labRunArgs(spec: LabSpec): string[] {
  const name = spec.name ?? LAB_CONTAINER;
  const identity = [
    '--name',
    name,
    '--hostname',
    LAB_CONTAINER,
    '--label',
    `${LAB_LABEL}=true`,
    '--label',
    `${LAB_MODE_LABEL}=${spec.mode}`,
    // --init: a process whose parent ended (a step's `cmd &` after its step) is reaped, not left
    // a zombie under `sleep`, which would keep its process group alive for the session's cleanup.
    '--init',
  ];
  const workspace = ['-v', `${spec.workspaceVolume ?? spec.workspace}:${spec.workspace}`];
  if (spec.mode === 'shared') {
    return [
      ...identity,
      '--network',
      'host',
      ...(spec.engineAccess ?? []),
      ...workspace,
      LAB_IMAGE,
      'sleep',
      'infinity',
    ];
  }
  const on = spec.publishOn ?? '127.0.0.1';
  const ports = spec.ports.flatMap((port) => ['-p', `${on}:${spec.hostPorts?.[port] ?? port}:${port}`]);
  const engine = ['-v', `${engineVolume(name)}:/var/lib/docker`];
  const mirror = spec.mirror ? ['-v', `${LAB_MIRROR_VOLUME}:${MIRROR_MOUNT}:ro`] : [];
  const network = spec.network ? ['--network', spec.network] : [];
  return [
    ...identity,
    ...NESTED_ENGINE_FLAGS,
    ...limitArgs(spec.limits),
    ...network,
    ...ports,
    ...engine,
    ...mirror,
    ...workspace,
    LAB_ENGINE_IMAGE,
    'sleep',
    'infinity',
  ];
}

/** The labels of the engine volume: the tutorial's (Reset removes it) and the lab's. */
export const ENGINE_VOLUME_LABELS = [`${TUTORIAL_LABEL}=true`, `${LAB_LABEL}=true`];

export interface LabState {
  running: boolean;
  imageId: string;
  labels: Record<string, string>;
  mounts: { Source: string; Destination: string; Name?: string }[];
  /** HostConfig.PortBindings: `8000/tcp` → [{HostIp, HostPort}]. */
  ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
  /** HostConfig.Init: docker's init reaps what steps leave behind. */
  init: boolean | null;
}

/** Why an existing lab container cannot be reused for `spec`, or undefined when it can. */
export function staleReason(state: LabState, imageId: string, spec: LabSpec): string | undefined {
  const mode = state.labels[LAB_MODE_LABEL] ?? 'shared'; // labs made before the isolated one existed
  if (mode !== spec.mode) return `it is a ${mode} lab and a ${spec.mode} one is wanted`;
  if (state.imageId !== imageId) return 'it runs an older lab image';
  if (spec.workspaceVolume) {
    if (!state.mounts.some((m) => m.Name === spec.workspaceVolume && m.Destination === spec.workspace))
      return `it does not mount the workspace volume ${spec.workspaceVolume} at ${spec.workspace}`;
  } else if (!state.mounts.some((m) => m.Source === spec.workspace && m.Destination === spec.workspace))
    return `it does not mount the workspace ${spec.workspace}`;
  if (state.init !== true) return 'it has no init process to reap the processes steps leave behind';
  if (spec.mode === 'isolated') {
    const published = Object.entries(state.ports ?? {})
      .map(([key, bindings]) => `${bindings?.[0]?.HostPort ?? '?'}:${key.split('/')[0]}`)
      .sort(byLabPort);
    const wanted = spec.ports.map((port) => `${spec.hostPorts?.[port] ?? port}:${port}`).sort(byLabPort);
    if (published.join(',') !== wanted.join(','))
      return `it publishes ports ${published.join(', ') || 'none'}, not ${wanted.join(', ')}`;
    if (spec.mirror && !state.mounts.some((m) => m.Destination === MIRROR_MOUNT))
      return 'it does not mount the shared image store';
  }
  return undefined;
}

const byLabPort = (a: string, b: string) => Number(a.split(':')[1]) - Number(b.split(':')[1]);

/**
 * Turns a failed `docker run` of the lab into what to do about it: a port of the learner's
 * machine already taken, or an engine that refuses what a nested engine needs.
 */
export function explainRunFailure(stderr: string, spec: LabSpec): string | undefined {
  const port = /(?:127\.0\.0\.1|0\.0\.0\.0):(\d+).*(?:address already in use|port is already allocated)/i.exec(stderr);
  if (port || /port is already allocated|address already in use/i.test(stderr)) {
    const which = port?.[1] ? `port ${port[1]}` : `one of the ports ${spec.ports.join(', ')}`;
    return (
      `The lab publishes ${spec.ports.join(', ')} on 127.0.0.1, and ${which} is already in use on this machine. ` +
      'Stop what holds it (`docker ps` shows containers; `ss -ltnp` other programs), then run the step again.'
    );
  }
  if (spec.mode === 'isolated' && /capabilit|operation not permitted|security-opt|apparmor|seccomp/i.test(stderr)) {
    return (
      'This Docker engine does not allow what the isolated lab needs to run an engine of its own ' +
      '(capabilities, unconfined seccomp and AppArmor). Start the runner with --lab shared to use the ' +
      "host's engine from the lab instead, or use the host target."
    );
  }
  return undefined;
}

/**
 * Waits until the lab's own engine answers (`docker version` inside the lab), which takes a second
 * or two after the container starts; on timeout, the end of dockerd's log says why.
 */
export async function waitForLabEngine(container = LAB_CONTAINER, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      await docker(['exec', container, '/usr/bin/docker', 'version', '--format', '{{.Server.Version}}']);
      return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const log = await docker(['exec', container, 'tail', '-n', '15', '/var/log/lab-engine/dockerd.log']).catch(
    () => '(no log)',
  );
  throw new Error(
    `The Docker engine inside ${container} did not start within ${timeoutMs / 1000} s (${last.split('\n')[0]}).\n` +
      `The end of its log (/var/log/lab-engine/dockerd.log):\n${log}`,
  );
}
