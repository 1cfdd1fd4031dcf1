/**
 * The lab target: steps run inside the container "myserver01" (Debian trixie) that plays the
 * post's VM. It shares the host's network and Docker engine and mounts the workspace at the same
 * absolute path, so ports, `docker build` and file paths behave as they do on the VM.
 *
 * Steps run in one long-lived session kernel, a single `docker exec -i` (openKernel; see
 * session/kernel.ts). Services and one-off commands are a `docker exec` each, tagged with
 * TUTORIAL_RUN_ID; killing such a run asks the image's `tutorial-kill` to end every process inside
 * that carries the tag, then ends the local client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { labEngineAccess } from '../engine/engine-access.ts';
import { engineStatus } from '../engine/engine-status.ts';
import { docker, isNoSuchObject } from '../engine/engine.ts';
import { LAB_LABEL } from '../engine/labels.ts';
import { resolveProfile, type Profile } from '../images/profile.ts';
import type { ProvisionEvent } from '../images/provision.ts';
import { LAB_CONTAINER, LAB_IMAGE, LAB_RECIPE, OFFLINE_PIP_ENV } from '../images/recipes.ts';
import { RUN_ID_ENV, type SpawnOptions, type Target } from './target.ts';

export { LAB_CONTAINER };

export interface LabTargetOptions {
  /** Absolute, symlink-free workspace path; mounted at the same path inside. */
  workspace: string;
  /**
   * Offline sessions get pip's no-index settings; a missing lab image is built this profile's way.
   * Default: chosen at the first ensureReady (TUTORIAL_PROFILE, else whether Docker Hub answers).
   */
  profile?: Profile;
  /** Offline build cache for provisioning (see provision.ts). */
  cacheDir?: string;
  /**
   * `uid:gid` that files steps create in the workspace are given to when each step ends (steps
   * run as root in the lab). Default: the runner's own user on Linux, unless that is root; on
   * Docker Desktop the file sharing already maps owners.
   */
  owner?: string;
}

function runnerOwner(): string | undefined {
  const uid = process.getuid?.();
  if (process.platform !== 'linux' || uid === undefined || uid === 0) return undefined;
  return `${uid}:${process.getgid!()}`;
}

interface ContainerState {
  running: boolean;
  imageId: string;
  labels: Record<string, string>;
  mounts: { Source: string; Destination: string }[];
  init: boolean | null;
}

export class LabTarget implements Target {
  readonly name = 'lab' as const;
  private readonly options: LabTargetOptions;
  /** The local `docker exec` clients of each run. */
  private readonly clients = new Map<string, Set<ChildProcess>>();
  private starting: Promise<void> | undefined;
  private profile: Profile | undefined;
  /**
   * The container was checked (image, mounts, running) and the session kernel started after that
   * still runs: the container cannot have stopped or been replaced meanwhile, so the next step skips
   * the checks (three docker CLI calls, ~90 ms). Cleared when a kernel exits.
   */
  private checked = false;

  constructor(options: LabTargetOptions) {
    this.options = { ...options, owner: 'owner' in options ? options.owner : runnerOwner() };
    this.profile = options.profile;
  }

  /** The profile in use; undefined until the first ensureReady when none was given. */
  get profileInUse(): Profile | undefined {
    return this.profile;
  }

  describe(): string {
    return `lab container ${LAB_CONTAINER} (Debian trixie${this.profile ? `, ${this.profile} images` : ''})`;
  }

  /** Concurrent callers share one start-up. */
  ensureReady(onProgress?: (message: string) => void): Promise<void> {
    if (this.checked && this.kernels > 0) return Promise.resolve();
    this.starting ??= this.start(onProgress ?? (() => {}))
      .then(() => {
        this.checked = true;
      })
      .finally(() => {
        this.starting = undefined;
      });
    return this.starting;
  }

  /** Session kernels running now (each a `docker exec` into the container). */
  private kernels = 0;

  spawn(argv: string[], options: SpawnOptions): ChildProcess {
    const args = ['exec', '-i', '-w', options.cwd];
    // The container's own environment is the image's PATH and LANG, which the session's env overrides.
    for (const [key, value] of Object.entries(options.env)) args.push('-e', `${key}=${value}`);
    args.push('-e', `${RUN_ID_ENV}=${options.runId}`, LAB_CONTAINER, ...argv);
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const clients = this.clients.get(options.runId) ?? new Set();
    clients.add(child);
    this.clients.set(options.runId, clients);
    child.once('exit', () => clients.delete(child));
    return child;
  }

  async killRun(runId: string, graceMs = 2000): Promise<void> {
    try {
      await docker(['exec', LAB_CONTAINER, 'tutorial-kill', runId, String(graceMs)]);
    } catch (error) {
      // A lab that is not running has no processes left to end; anything else is a real failure.
      if ((await containerState())?.running) {
        throw new Error(
          `Could not end run ${runId} inside ${LAB_CONTAINER}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const clients = [...(this.clients.get(runId) ?? [])];
    this.clients.delete(runId);
    await Promise.all(clients.map((child) => endClient(child)));
  }

  get fileOwner(): string | undefined {
    return this.options.owner;
  }

  openKernel(script: string, cwd: string): ChildProcess {
    // One `docker exec` for the whole session: steps go to it over its stdin.
    const child = spawn(
      'docker',
      ['exec', '-i', '-w', cwd, LAB_CONTAINER, 'bash', '--noprofile', '--norc', script, 'serve'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.kernels++;
    child.once('close', () => {
      this.kernels--;
      this.checked = false; // the container may have stopped: check it again before the next step
    });
    return child;
  }

  async killProcesses(runId: string, pids: number[], groups: number[]): Promise<void> {
    const targets = [...groups.map((g) => `-${g}`), ...pids.map(String)];
    if (targets.length) await docker(['exec', LAB_CONTAINER, 'kill', '-KILL', '--', ...targets]).catch(() => {});
    await this.killRun(runId, 500);
  }

  baseEnv(home: string): Record<string, string> {
    if (!this.profile)
      throw new Error('LabTarget.baseEnv before ensureReady: the profile (online or offline) is not known yet');
    return {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C.UTF-8',
      HOME: home,
      USER: 'root',
      HOSTNAME: LAB_CONTAINER,
      TERM: 'xterm-256color',
      PYTHONUNBUFFERED: '1',
      ...(this.profile === 'offline' ? OFFLINE_PIP_ENV : {}),
      ...labEngineAccess().env,
    };
  }

  private async start(onProgress: (message: string) => void): Promise<void> {
    const engine = await engineStatus();
    if (!engine.ok) throw new Error(engine.message);
    const profile = (this.profile ??= (await resolveProfile()).profile);
    // Loaded on demand: building images is rare, and its modules weigh on the runner's memory.
    const { decideAction, inspectLocalImage, provision } = await import('../images/provision.ts');
    const { action, reason } = decideAction(LAB_RECIPE, await inspectLocalImage(LAB_IMAGE), profile);
    if (action !== 'keep') {
      onProgress(`Preparing the lab image ${LAB_IMAGE} (${reason}); the first time takes a minute or two`);
      await provision({
        profile,
        images: [LAB_IMAGE],
        cacheDir: this.options.cacheDir,
        onProgress: everyTenPercent((e) => onProgress(`${e.image}: ${e.phase} ${e.done}% ${e.message}`)),
      });
    }
    const imageId = await docker(['image', 'inspect', '--format', '{{.Id}}', LAB_IMAGE]);
    const state = await containerState();
    if (state) {
      if (state.labels[LAB_LABEL] !== 'true') {
        throw new Error(
          `A container named ${LAB_CONTAINER} exists that the runner did not create. ` +
            `Rename or remove it (docker rm -f ${LAB_CONTAINER}), or use the host target.`,
        );
      }
      const stale = staleReason(state, imageId, this.options.workspace);
      if (!stale) {
        if (!state.running) {
          onProgress(`Starting ${LAB_CONTAINER}`);
          await docker(['start', LAB_CONTAINER]);
        }
        return;
      }
      onProgress(`Recreating ${LAB_CONTAINER}: ${stale}`);
      await docker(['rm', '-f', LAB_CONTAINER]);
    }
    onProgress(`Starting ${LAB_CONTAINER} from ${LAB_IMAGE}`);
    const workspace = this.options.workspace;
    const identity = ['--name', LAB_CONTAINER, '--hostname', LAB_CONTAINER, '--label', `${LAB_LABEL}=true`];
    const sharing = ['--network', 'host', ...labEngineAccess().runArgs, '-v', `${workspace}:${workspace}`];
    // --init: a process whose parent ended (a step's `cmd &` after its step) is reaped, not left
    // a zombie under `sleep`, which would keep its process group alive for the session's cleanup.
    await docker(['run', '-d', '--init', ...identity, ...sharing, LAB_IMAGE, 'sleep', 'infinity']);
  }
}

/** Stops the lab container (kept, so the next ensureReady only starts it); no-op when absent. */
export async function stopLab(): Promise<void> {
  try {
    await docker(['stop', '--time', '2', LAB_CONTAINER]);
  } catch (error) {
    if (!isNoSuchObject(error)) throw error;
  }
}

async function containerState(): Promise<ContainerState | undefined> {
  try {
    const json = await docker([
      'container',
      'inspect',
      '--format',
      '{"running":{{json .State.Running}},"imageId":{{json .Image}},"labels":{{json .Config.Labels}},"mounts":{{json .Mounts}},"init":{{json .HostConfig.Init}}}',
      LAB_CONTAINER,
    ]);
    const state = JSON.parse(json) as ContainerState;
    return { ...state, labels: state.labels ?? {} };
  } catch (error) {
    if (isNoSuchObject(error)) return undefined;
    throw error;
  }
}

/** Passes on one event per phase and tenth, not every debootstrap line: these end up in a step's output. */
function everyTenPercent(report: (event: ProvisionEvent) => void): (event: ProvisionEvent) => void {
  let last = '';
  return (event) => {
    const key = `${event.phase} ${Math.floor(event.done / 10)}`;
    if (key !== last) report(event);
    last = key;
  };
}

/** Why an existing lab container cannot be reused, or undefined when it can. */
function staleReason(state: ContainerState, imageId: string, workspace: string): string | undefined {
  if (state.imageId !== imageId) return 'it runs an older lab image';
  if (!state.mounts.some((m) => m.Source === workspace && m.Destination === workspace))
    return `it does not mount the workspace ${workspace}`;
  if (state.init !== true) return 'it has no init process to reap the processes steps leave behind';
  return undefined;
}

/** Ends a local `docker exec` client: it normally exits by itself once its process inside is gone. */
async function endClient(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const within = (ms: number) =>
    Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  if (await within(500)) return;
  child.kill('SIGTERM');
  if (await within(1000)) return;
  child.kill('SIGKILL');
  await exited;
}
