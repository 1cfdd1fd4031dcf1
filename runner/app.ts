/**
 * The runner, assembled: manifest, workspace, targets, runs and the event hub. The HTTP layer
 * (http/server.ts) calls these methods; nothing here knows about HTTP.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Manifest } from '../contract/manifest.ts';
import { english, say, sayBoth, type Said } from '../contract/messages.ts';
import type { ContainerInfo, RunnerEvent, RunnerState, TargetInfo, YamlResult } from '../contract/protocol.ts';
import { EventHub } from './http/event-hub.ts';
import { internetProbe, type Machine } from './preflight.ts';
import { RunRefused, Runs } from './runs/runs.ts';
import { LiveRuns } from './runs/live-runs.ts';
import { removeChapterFootprint } from './runs/chapter-reset.ts';
import { StatusStore } from './runs/status-store.ts';
import { Transcripts } from './runs/transcripts.ts';
import { sessionFiles } from './session/session-files.ts';
import { HostTarget } from './targets/host.ts';
import type { Target, TargetName } from './targets/target.ts';
import { Workspace } from './workspace.ts';
import {
  chooseImageProfile,
  engineStatus,
  hostShimDir,
  portOwner,
  provisionImages,
  removeTutorialDockerObjects,
  stopTutorialContainer,
  tutorialContainers,
  tutorialEngine,
  chapterImages,
  labListens,
  type EngineCli,
  type ProfileChoice,
} from './tutorial-docker.ts';
import { LabTarget } from './targets/lab.ts';
import { labPorts, type LabLimits, type LabMode } from './targets/lab-container.ts';

/** Largest answer read from the YAML bridge (the request itself is at most 64 KiB). */
const YAML_ANSWER_BYTES = 4 * 1024 * 1024;

/** Collects a child's output up to `limit` bytes; past it, keeps nothing more and calls `over` once. */
function boundedText(limit: number, over?: () => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add: (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) return over?.();
      chunks.push(chunk);
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

export interface AppOptions {
  manifest: Manifest;
  workspace: string;
  target: TargetName;
  /** Which images the lab and the chapters use; see docker/profile.ts. */
  profile: ProfileChoice;
  /** shared (the host's engine; default, or $RUNNER_LAB) or isolated (the lab's own engine). */
  labMode?: LabMode;
  /** The lab container's name (default myserver01) and the learner's ports for its ports. */
  labName?: string;
  labHostPorts?: Record<number, number>;
  /** Memory, CPU and process limits for an isolated lab (a classroom sets them per learner). */
  labLimits?: LabLimits;
  /** An isolated lab on a Docker network of its own (a classroom's labs cannot reach each other). */
  labNetwork?: boolean;
  /** False in a classroom: a learner's steps must never run on the instructor's machine. */
  allowHostTarget?: boolean;
  /** Run all pauses at checkpoint steps; `npm run verify` runs straight through. */
  pauseAtCheckpoints?: boolean;
}

export class RunnerApp {
  manifest: Manifest;
  readonly workspace: Workspace;
  readonly events: EventHub;
  readonly runs: Runs;
  private readonly status: StatusStore;
  private readonly transcripts: Transcripts;
  private current: Target;
  private readonly host: HostTarget;
  private lab?: LabTarget;
  private readonly internet = internetProbe();
  private readonly profile: ProfileChoice;
  private readonly labOptions: Pick<
    AppOptions,
    'labMode' | 'labName' | 'labHostPorts' | 'labLimits' | 'labNetwork' | 'allowHostTarget'
  >;
  private chapterOf: Map<string, string>;
  private yamlAbort?: AbortController;
  private imagesReady?: Promise<void>;
  /** Tells the pages apart one start of the runner from the next (see RunnerState.instance). */
  private readonly instance = randomUUID();
  /** Running tutorial containers, refreshed after every Docker step, Reset and container stop. */
  private containers: ContainerInfo[] = [];

  /** Decides the image profile (a registry probe, unless TUTORIAL_PROFILE says), then builds the app. */
  static async create(options: Omit<AppOptions, 'profile'> & { profile?: ProfileChoice }): Promise<RunnerApp> {
    const app = new RunnerApp({ ...options, profile: options.profile ?? (await chooseImageProfile()) });
    // Orphans may sit in the lab even when this runner starts on the host target; a LabTarget
    // only to end them starts nothing (and does nothing without Docker).
    const lab = app.lab ?? app.newLab();
    await app.runs.endOrphans([app.host, lab]);
    await app.refreshContainers(); // the first page load already lists what runs from last time
    return app;
  }

  constructor(options: AppOptions) {
    this.manifest = options.manifest;
    this.profile = options.profile;
    this.labOptions = options;
    this.workspace = new Workspace(options.workspace);
    this.host = new HostTarget({ shimDir: hostShimDir(this.workspace) });
    this.chapterOf = chapterIndex(options.manifest);
    // Looked up in the current manifest: `npm run dev` replaces it while pages listen.
    this.events = new EventHub((id) => this.chapterOf.get(id));
    // The runner's own records live outside the workspace, where no step in the lab can plant a
    // symlink (see Workspace.privateDir and README, Security).
    this.status = new StatusStore(this.workspace.privatePath('status.json'));
    this.transcripts = new Transcripts(this.workspace.privatePath('transcripts'));
    this.current = this.host;
    if (options.target === 'lab') this.current = this.labTarget();
    this.runs = new Runs({
      manifest: this.manifest,
      workspace: this.workspace,
      target: () => this.current,
      machine: () => this.machine(),
      status: this.status,
      transcripts: this.transcripts,
      live: new LiveRuns(this.workspace.privatePath('live-runs.json')),
      publish: (event) => this.events.publish(event),
      prepareImages: (progress) => this.prepareImages(progress),
      pauseAtCheckpoints: options.pauseAtCheckpoints ?? true,
    });
    // What `docker run -d` started outlives its step: list it beside the services.
    this.events.listen((event) => {
      if (
        event.type === 'run-end' &&
        this.manifest.steps.find((s) => s.id === event.stepId)?.requires.includes('docker')
      ) {
        void this.refreshContainers();
      }
    });
  }

  /** `npm run dev`: the chapters changed; new runs use the new steps, statuses stay (a changed step's is stale). */
  replaceManifest(manifest: Manifest): void {
    this.manifest = manifest;
    this.chapterOf = chapterIndex(manifest);
    this.runs.useManifest(manifest);
  }

  state(): RunnerState {
    return {
      seq: this.events.seq,
      instance: this.instance,
      steps: this.status.all(),
      services: this.runs.services(),
      containers: this.containers,
      target: this.targetInfo(),
      active: this.runs.activeRuns(),
      queued: this.runs.queuedRuns(),
      ...(this.runs.batchState() && { batch: this.runs.batchState() }),
    };
  }

  async refreshContainers(): Promise<void> {
    const containers = (await engineStatus()).ok ? await tutorialContainers(this.engineCli()).catch(() => []) : [];
    if (JSON.stringify(containers) === JSON.stringify(this.containers)) return;
    this.containers = containers;
    this.events.publish({ type: 'containers', containers });
  }

  async stopContainer(name: string): Promise<void> {
    try {
      await stopTutorialContainer(name, this.engineCli());
    } catch (error) {
      throw new RunRefused(404, (error as Error).message, say('refused.no-container-hint'));
    } finally {
      await this.refreshContainers();
    }
  }

  transcript(stepId: string) {
    return this.transcripts.load(stepId);
  }

  /** The last transcripts of a chapter's steps, in page order: what a reload shows again. */
  chapterTranscripts(chapterId: string) {
    const chapter = this.manifest.chapters.find((c) => c.id === chapterId);
    if (!chapter) throw new RunRefused(404, say('refused.unknown-chapter', { chapter: chapterId }));
    return chapter.steps.flatMap((id) => this.transcripts.load(id) ?? []);
  }

  async setTarget(name: TargetName): Promise<RunnerState> {
    if (name === this.current.name) return this.state();
    if (name === 'host' && this.labOptions.allowHostTarget === false)
      throw new RunRefused(403, say('refused.host-off'), say('refused.host-off-hint'));
    // Services belong to the target they started on: stop them, and start nothing meanwhile.
    await this.runs.whilePaused(say('refused.busy-target'), async () => {
      this.current = name === 'lab' ? this.labTarget() : this.host;
    });
    this.events.publish({ type: 'target', target: this.targetInfo() });
    return this.state();
  }

  /** Python's own reading of a YAML text, for the live view. The text is data; the code is ours. */
  async yaml(text: string): Promise<YamlResult> {
    // One parse at a time: typing sends a request per pause, and only the latest matters.
    this.yamlAbort?.abort();
    const abort = (this.yamlAbort = new AbortController());
    const target = this.current;
    await target.ensureReady();
    const files = sessionFiles(this.workspace, target.name);
    const runId = `yaml-${randomUUID()}`;
    const child = target.spawn(['python3', files.yamlToJson], {
      cwd: this.workspace.root,
      env: target.baseEnv(this.workspace.home),
      runId,
    });
    child.stdin?.on('error', () => {}); // a child that exits before reading all of it
    child.stdin?.end(text);
    let why = '';
    const stop = (reason: string) => {
      why ||= reason;
      void target.killRun(runId, 200).catch(() => {});
    };
    // Bounded, whatever the child prints: the bridge refuses big expansions itself, this is the
    // runner's own guard (an unbounded string once ended in an uncaught RangeError).
    const stdout = boundedText(YAML_ANSWER_BYTES, () =>
      stop(`answer grew over ${YAML_ANSWER_BYTES / 1024 / 1024} MiB and was stopped (aliases expanding?)`),
    );
    const stderr = boundedText(16 * 1024);
    child.stdout?.on('data', stdout.add);
    child.stderr?.on('data', stderr.add);
    const timer = setTimeout(() => stop('took over 10 s and was stopped (a YAML bomb?)'), 10_000);
    abort.signal.addEventListener('abort', () => stop('replaced by a newer request'), { once: true });
    const code = await new Promise<number | null>((resolve) => {
      child.once('close', resolve);
      child.once('error', () => resolve(-1));
    });
    clearTimeout(timer);
    void target.killRun(runId, 0).catch(() => {}); // forgets the run's bookkeeping too
    if (why) return { ok: false, error: { message: `Python's parse ${why}` } };
    if (code !== 0) {
      const missing =
        code === 127 || code === -1 ? `python3 was not found on the ${target.name} target` : stderr.text().trim();
      return { ok: false, error: { message: `python3 could not parse it: ${missing || `exit code ${code}`}` } };
    }
    try {
      return JSON.parse(stdout.text()) as YamlResult;
    } catch {
      return {
        ok: false,
        error: { message: `python3 printed something that is not JSON: ${stdout.text().slice(0, 200)}` },
      };
    }
  }

  /** Stops everything, removes what the tutorial made in Docker, and empties the workspace. */
  async reset(): Promise<void> {
    const progress = (said: Said) => this.events.publish({ type: 'progress', task: 'reset', ...sayBoth(said) });
    progress(say('reset.stopping'));
    await this.runs.whilePaused(say('refused.busy-reset'), () => this.clearEverything(progress));
    await this.refreshContainers();
    this.events.publish({ type: 'progress', task: 'reset', ...sayBoth(say('reset.done')), final: true });
    this.events.publish({ type: 'target', target: this.targetInfo() });
  }

  /**
   * Reset this chapter: stops its runs and services, removes what its steps made (and only that),
   * and forgets its statuses. Other chapters keep their work and their progress.
   */
  async resetChapter(chapterId: string): Promise<void> {
    const chapter = this.manifest.chapters.find((c) => c.id === chapterId);
    if (!chapter) throw new RunRefused(404, say('refused.unknown-chapter', { chapter: chapterId }));
    const progress = (said: Said, final = false) =>
      this.events.publish({ type: 'progress', task: 'reset', ...sayBoth(said), ...(final && { final }) });
    progress(say('reset.chapter-stopping'));
    await this.runs.whilePaused(say('refused.busy-chapter-reset'), async () => {
      const removed = await removeChapterFootprint(this.manifest, chapterId, this.workspace, (await engineStatus()).ok);
      for (const id of chapter.steps) {
        this.status.delete(id);
        this.transcripts.remove(id);
      }
      progress(
        removed.length ? say('reset.chapter-removed', { what: removed.join(', ') }) : say('reset.chapter-nothing'),
      );
    });
    await this.refreshContainers();
    // A chapter starts from what the chapters before it leave: say which of them are not done.
    const index = this.manifest.chapters.indexOf(chapter);
    const undone = this.manifest.chapters.slice(0, index).filter((c) =>
      c.steps.some((id) => {
        const step = this.manifest.steps.find((s) => s.id === id)!;
        const st = this.status.get(id);
        return step.kind !== 'manual' && !(st?.hash === step.hash && (st.status === 'ok' || st.status === 'skipped'));
      }),
    );
    progress(
      undone.length
        ? say('reset.chapter-before', {
            chapters: {
              text: undone.map((c) => `"${c.title}"`).join(', '),
              in: { ko: undone.map((c) => `“${c.titles?.ko ?? c.title}”`).join(', ') },
            },
            count: undone.length,
          })
        : say('reset.done'),
      true,
    );
  }

  private async clearEverything(progress: (message: Said) => void): Promise<void> {
    const engine = await engineStatus();
    if (engine.ok && this.lab?.mode === 'isolated') {
      progress(say('reset.removing-lab'));
      await this.lab.remove();
      this.imagesReady = undefined; // the next Docker step checks the image store again
    }
    // A lab with a name of its own is one learner's among others on this engine: its Reset removes
    // that lab and nothing else. Otherwise what steps made on the host target or in a shared lab goes too.
    if (engine.ok && !this.labOptions.labName) {
      progress(say('reset.removing-docker'));
      progress(await removeTutorialDockerObjects());
    }
    progress(say('reset.emptying'));
    await this.emptyWorkspace();
    hostShimDir(this.workspace); // the label shim lived in the workspace too
    this.status.clear();
  }

  /**
   * Before the first Docker step: the base images the chapters' Dockerfiles name must exist
   * (pulled online, built from Debian packages offline). Fast when they do; the first offline
   * build takes a minute or two, with progress on the page.
   */
  private async prepareImages(progress: (message: Said) => void): Promise<void> {
    this.imagesReady ??= (async () => {
      let last = '';
      await provisionImages(
        this.profile.profile,
        (what, done, total, image) => {
          const line = say('image.line', { image, what });
          this.events.publish({ type: 'progress', task: 'provision', ...sayBoth(line), done, total });
          const tenth = `${image} ${Math.floor(done / 10)}`;
          if (tenth !== last) progress(say('status.image-step', { image, what, percent: done }));
          last = tenth;
        },
        chapterImages(),
      );
      // The isolated lab pulls them from the shared store; it must hold the images just made.
      if (this.isolatedLab()) await this.lab!.prepareImages(progress);
      this.events.publish({ type: 'progress', task: 'provision', ...sayBoth(say('provision.ready')), final: true });
    })().catch((error: unknown) => {
      this.imagesReady = undefined; // try again next time
      throw error;
    });
    return this.imagesReady;
  }

  async provision(): Promise<void> {
    const status = await engineStatus();
    if (!status.ok) throw new RunRefused(503, status.why);
    await provisionImages(this.profile.profile, (what, done, total, image) =>
      this.events.publish({
        type: 'progress',
        task: 'provision',
        ...sayBoth(say('image.line', { image, what })),
        done,
        total,
      }),
    );
    this.events.publish({ type: 'progress', task: 'provision', ...sayBoth(say('provision.done')), final: true });
  }

  async shutdown(): Promise<void> {
    await this.runs.stopAll();
    this.events.closeAll();
  }

  /** The lab, when this runner has one (created on first use of the lab target). */
  get labTargetIfAny(): LabTarget | undefined {
    return this.lab;
  }

  /** Stops and starts the lab again (its engine's state and the workspace stay); services end. */
  async restartLab(): Promise<void> {
    const lab = this.labTargetIfAny;
    if (!lab) return;
    await this.runs.whilePaused(say('refused.busy-lab-restart'), async () => {
      await lab.stop();
      await lab.ensureReady();
    });
  }

  /** Stops an idle lab (culling), services and all; the next step starts it again. False when none runs. */
  async stopIdleLab(): Promise<boolean> {
    const lab = this.lab;
    if (!lab || !(await lab.running())) return false;
    await this.runs.whilePaused(say('refused.busy-lab-stop'), () => lab.stop());
    return true;
  }

  publish(event: RunnerEvent): void {
    this.events.publish(event);
  }

  private labTarget(): Target {
    this.lab ??= this.newLab();
    return this.lab;
  }

  private newLab(): LabTarget {
    const ports = labPorts(this.manifest.steps.map((s) => s.port));
    return new LabTarget({
      workspace: this.workspace.root,
      profile: this.profile.profile,
      ports,
      mode: this.labOptions.labMode,
      name: this.labOptions.labName,
      hostPorts: this.labOptions.labHostPorts,
      limits: this.labOptions.labLimits,
      network: this.labOptions.labNetwork,
    });
  }

  /** Steps run in the isolated lab: their Docker objects live in the lab's own engine. */
  private isolatedLab(): boolean {
    return this.current === this.lab && this.lab.mode === 'isolated';
  }

  private engineCli(): EngineCli {
    return tutorialEngine(this.isolatedLab(), this.lab?.container);
  }

  /**
   * Steps hand their files back to the learner when they end (session/session.sh), but what a lab
   * service still running wrote belongs to root; only the lab can delete that for a runner that is not root.
   */
  private async emptyWorkspace(): Promise<void> {
    try {
      this.workspace.empty();
    } catch (error) {
      if (!this.lab || (error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
      await this.lab.ensureReady();
      const child = this.lab.spawn(['find', this.workspace.root, '-mindepth', '1', '-delete'], {
        cwd: this.workspace.root,
        env: this.lab.baseEnv(this.workspace.home),
        runId: `reset-${Date.now()}`,
      });
      await new Promise((resolve) => child.once('close', resolve));
      this.workspace.empty();
    }
  }

  private targetInfo(): TargetInfo {
    return {
      name: this.current.name,
      description: english(this.current.describe()),
      descriptionMsg: this.current.describe(),
      profile: this.profile.profile,
      profileReason: this.profile.reason,
      profileReasonMsg: this.profile.why,
    };
  }

  private machine(): Machine {
    return {
      target: this.current.name,
      dockerStatus: engineStatus,
      internet: this.internet,
      isRoot: () => os.userInfo().uid === 0,
      ...(this.isolatedLab() && { portInUse: (port: number) => labListens(port, this.lab!.container) }),
      portHolder: async (port) => {
        const service = this.runs.services().find((s) => s.port === port);
        if (service) return say('preflight.holder-step', { step: service.stepId });
        return portOwner(port, this.engineCli());
      },
    };
  }
}

function chapterIndex(manifest: Manifest): Map<string, string> {
  return new Map(manifest.steps.map((s) => [s.id, s.chapter]));
}
