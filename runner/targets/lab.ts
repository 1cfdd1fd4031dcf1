/**
 * The lab target: steps run in the container "myserver01" (Debian trixie), the post's VM, with an
 * engine of its own (isolated, default) or the host's (shared; lab-container.ts), and the workspace
 * at the same path (bind-mounted; on a remote engine a volume kept level: lab-workspace-sync.ts).
 *
 * Steps run in one long-lived session kernel, a single `docker exec -i` (openKernel; see
 * session/kernel.ts). Services and one-off commands are a `docker exec` each, tagged with
 * TUTORIAL_RUN_ID; killing such a run asks the image's `tutorial-kill` to end every process inside
 * that carries the tag, then ends the local client. Bringing the container up, stopping and
 * removing it: lab-lifecycle.ts.
 */
import { say, SaidError, type Message, type Said } from '../../contract/messages.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { labEngineAccess } from '../engine/engine-access.ts';
import { engineStatus } from '../engine/engine-status.ts';
import { docker } from '../engine/engine.ts';
import { LAB_LABEL } from '../engine/labels.ts';
import { resolveProfile, type Profile } from '../images/profile.ts';
import { LAB_CONTAINER, OFFLINE_PIP_ENV } from '../images/recipes.ts';
import {
  DEFAULT_LAB_PORTS,
  LAB_MIRROR_VOLUME,
  parseLabMode,
  type LabLimits,
  type LabMode,
  type LabSpec,
  workspaceVolume,
} from './lab-container.ts';
import { LabWorkspaceSync } from './lab-workspace-sync.ts';
import { bringUpLab, labContainerState, removeLab, stopLab, stopLabContainer } from './lab-lifecycle.ts';
import { RUN_ID_ENV, type SpawnOptions, type Target } from './target.ts';

export { LAB_CONTAINER, stopLab };

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
  /** isolated (its own engine and network; default, or $RUNNER_LAB) or shared (the host's). */
  mode?: LabMode;
  /** Isolated: the ports published to 127.0.0.1 (default 8000 and 80; see labPorts). */
  ports?: number[];
  /** The container's name (default myserver01); its hostname is myserver01 whatever the name. */
  name?: string;
  /** Isolated: the learner's port for a lab port, when not the same number. */
  hostPorts?: Record<number, number>;
  /** Isolated: memory, CPU and process limits for the whole lab. */
  limits?: LabLimits;
  /** Isolated: put the lab on a Docker network of its own, named after it (a classroom's labs). */
  network?: boolean;
  /**
   * The engine is elsewhere (engine/engine-location.ts): the workspace is a volume kept level with
   * the runner's folder (lab-workspace-sync.ts; base in `syncState`), ports answer on `portHost`.
   */
  remote?: { endpoint: string; portHost: string; syncState: string; warn?: (said: Said) => void };
}

function runnerOwner(): string | undefined {
  const uid = process.getuid?.();
  if (process.platform !== 'linux' || uid === undefined || uid === 0) return undefined;
  return `${uid}:${process.getgid!()}`;
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

  readonly mode: LabMode;
  /** The lab container's name. */
  readonly container: string;
  /** Where its published ports answer (the remote engine's host; else 127.0.0.1). */
  readonly portHost: string;
  /** A lab on a remote engine: its workspace's travel (undefined: the workspace is bind-mounted). */
  private readonly sync?: LabWorkspaceSync;

  constructor(options: LabTargetOptions) {
    this.options = { ...options, owner: 'owner' in options ? options.owner : runnerOwner() };
    this.profile = options.profile;
    this.mode = options.mode ?? parseLabMode(process.env.RUNNER_LAB, 'RUNNER_LAB');
    this.container = options.name ?? LAB_CONTAINER;
    this.portHost = options.remote?.portHost ?? '127.0.0.1';
    if (options.remote) {
      if (this.mode !== 'isolated')
        throw new Error(`the ${this.mode} lab cannot run on a remote engine; see engine/engine-location.ts`);
      this.sync = new LabWorkspaceSync({
        root: options.workspace,
        container: this.container,
        volume: workspaceVolume(this.container),
        stateFile: options.remote.syncState,
        warn: options.remote.warn,
      });
    }
  }

  /** A remote lab: its workspace volume and the runner's folder brought level (no-op otherwise, or while stopped). */
  async syncWorkspace(): Promise<void> {
    if (!this.sync || !(await this.running())) return;
    await this.sync.sync();
  }

  /** The profile in use; undefined until the first ensureReady when none was given. */
  get profileInUse(): Profile | undefined {
    return this.profile;
  }

  describe(): Message {
    const engine = this.mode === 'isolated' ? say('target.engine-own') : say('target.engine-host');
    if (!this.profile) return say('target.lab', { name: this.container, engine });
    const profile = this.profile === 'online' ? say('target.online') : say('target.offline');
    return say('target.lab-profile', { name: this.container, engine, profile });
  }

  /** Concurrent callers share one start-up. */
  ensureReady(onProgress?: (message: Said) => void): Promise<void> {
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
    args.push('-e', `${RUN_ID_ENV}=${options.runId}`, this.container, ...argv);
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const clients = this.clients.get(options.runId) ?? new Set();
    clients.add(child);
    this.clients.set(options.runId, clients);
    child.once('exit', () => clients.delete(child));
    return child;
  }

  async killRun(runId: string, graceMs = 2000): Promise<void> {
    try {
      await docker(['exec', this.container, 'tutorial-kill', runId, String(graceMs)]);
    } catch (error) {
      // A lab that is not running has no processes left to end; anything else is a real failure.
      if ((await labContainerState(this.container))?.running) {
        throw new Error(
          `Could not end run ${runId} inside ${this.container}: ${error instanceof Error ? error.message : String(error)}`,
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
      ['exec', '-i', '-w', cwd, this.container, 'bash', '--noprofile', '--norc', script, 'serve'],
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
    if (targets.length) await docker(['exec', this.container, 'kill', '-KILL', '--', ...targets]).catch(() => {});
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
      ...(this.mode === 'shared' ? labEngineAccess().env : {}),
    };
  }

  private async start(onProgress: (message: Said) => void): Promise<void> {
    const engine = await engineStatus();
    if (!engine.ok) throw new SaidError(engine.why);
    const profile = (this.profile ??= (await resolveProfile()).profile);
    const lab = { container: this.container, mode: this.mode, network: this.options.network };
    const remote = this.options.remote?.endpoint;
    await bringUpLab({ ...lab, profile, cacheDir: this.options.cacheDir, remote }, () => this.spec(), onProgress);
    await this.sync?.sync(); // a new volume starts from the runner's copy
  }

  /**
   * Isolated lab, before its first Docker step: the shared image store holds the host engine's
   * current images (filled once; see lab-mirror.ts), and the lab mounts it.
   */
  async prepareImages(onProgress: (message: Said) => void): Promise<void> {
    if (this.mode !== 'isolated') return;
    const { ensureMirror } = await import('./lab-mirror.ts');
    const outcome = await ensureMirror(undefined, onProgress);
    if (outcome.pushed.length) onProgress(say('status.store-filled', { seconds: outcome.seconds.toFixed(0) }));
    await this.ensureReady(onProgress);
  }

  /** A remote engine: `images` copied there from this machine's engine where missing (remote-images.ts). */
  async copyToEngine(images: string[], onProgress: (message: Said) => void): Promise<void> {
    const remote = this.options.remote?.endpoint;
    if (remote) await (await import('../engine/remote-images.ts')).copyImagesToRemote(images, remote, onProgress);
  }

  hostPort(port: number): number {
    return this.mode === 'isolated' ? (this.options.hostPorts?.[port] ?? port) : port;
  }

  /** Removes this lab and, for an isolated one, its engine's state (see lab-lifecycle.ts). */
  async remove(): Promise<void> {
    await removeLab(this.container, this.mode, Boolean(this.options.network));
    this.sync?.forget();
  }

  private async spec(): Promise<LabSpec> {
    // The store's volume exists from the start, so a lab need not be recreated once it is filled.
    if (this.mode === 'isolated') await docker(['volume', 'create', '--label', `${LAB_LABEL}=true`, LAB_MIRROR_VOLUME]);
    const mirror = this.mode === 'isolated';
    return {
      mode: this.mode,
      name: this.container,
      hostPorts: this.options.hostPorts,
      workspace: this.options.workspace,
      ...(this.sync && { workspaceVolume: workspaceVolume(this.container) }),
      ...(this.portHost !== '127.0.0.1' && { publishOn: '0.0.0.0' }),
      ports: [...new Set(this.options.ports ?? DEFAULT_LAB_PORTS)].sort((a, b) => a - b),
      engineAccess: this.mode === 'shared' ? labEngineAccess().runArgs : undefined,
      mirror,
      limits: this.options.limits,
      network: this.options.network ? this.container : undefined,
    };
  }

  /** Stops this lab (kept with its engine's state; the next ensureReady starts it again). */
  async stop(): Promise<void> {
    await stopLabContainer(this.container);
  }

  /** Whether the lab container runs now (false when stopped or absent). */
  async running(): Promise<boolean> {
    return (await labContainerState(this.container))?.running ?? false;
  }
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
