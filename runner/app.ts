/**
 * The runner, assembled: manifest, workspace, targets, runs, the event bus, and the YAML bridge,
 * Reset and image provisioning (each in a module of its own). The HTTP layer (http/server.ts) calls
 * these methods and sends the bus's events to pages; nothing here knows about HTTP.
 *
 * Kept whole: it is the wiring, one place that builds the parts and hands each request to one of
 * them in a line or two; what each part does lives in its own module.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Manifest } from '../contract/manifest.ts';
import { english, say, sayBoth, textOf, type Said } from '../contract/messages.ts';
import type { RunnerEvent, RunnerState, TargetInfo, YamlResult } from '../contract/protocol.ts';
import { EventBus } from './event-bus.ts';
import { ImageProvisioning } from './image-provisioning.ts';
import { internetProbe, type Machine } from './preflight.ts';
import { resetChapter, resetEverything, type ResetScope } from './reset.ts';
import { RunRefused, Runs } from './runs/runs.ts';
import { LiveRuns } from './runs/live-runs.ts';
import { SessionLogStore } from './runs/session-log.ts';
import { StatusStore } from './runs/status-store.ts';
import { Transcripts } from './runs/transcripts.ts';
import { HostTarget } from './targets/host.ts';
import type { Target, TargetName } from './targets/target.ts';
import { Workspace } from './workspace.ts';
import {
  chooseImageProfile,
  engineStatus,
  hostShimDir,
  portOwner,
  tutorialEngine,
  labListens,
  type EngineCli,
  type ProfileChoice,
} from './tutorial-docker.ts';
import { TutorialContainers } from './tutorial-containers.ts';
import { YamlBridge } from './yaml-bridge.ts';
import { LabTarget } from './targets/lab.ts';
import { labPorts, type LabLimits, type LabMode } from './targets/lab-container.ts';

export interface AppOptions {
  manifest: Manifest;
  workspace: string;
  target: TargetName;
  /** Which images the lab and the chapters use; see docker/profile.ts. */
  profile: ProfileChoice;
  /** isolated (the lab's own engine; default, or $RUNNER_LAB) or shared (the host's). */
  labMode?: LabMode;
  /** The lab container's name (default myserver01) and the learner's ports for its ports. */
  labName?: string;
  labHostPorts?: Record<number, number>;
  /** Memory, CPU and process limits for an isolated lab (a classroom sets them per learner). */
  labLimits?: LabLimits;
  /** An isolated lab on a Docker network of its own (a classroom's labs cannot reach each other). */
  labNetwork?: boolean;
  /**
   * The lab's engine is elsewhere (engine/engine-location.ts): the lab's workspace is a volume
   * kept level with this runner's folder, and its ports answer on `portHost`.
   */
  remoteEngine?: { endpoint: string; portHost: string };
  /** False in a classroom: a learner's steps must never run on the instructor's machine. */
  allowHostTarget?: boolean;
  /** Run all pauses at checkpoint steps; `npm run verify` runs straight through. */
  pauseAtCheckpoints?: boolean;
}

export class RunnerApp {
  manifest: Manifest;
  readonly workspace: Workspace;
  readonly events = new EventBus();
  readonly runs: Runs;
  private readonly status: StatusStore;
  private readonly transcripts: Transcripts;
  /** Every run of this session in order, with its output (GET /api/session-log). */
  readonly sessionLog: SessionLogStore;
  private current: Target;
  private readonly host: HostTarget;
  private lab?: LabTarget;
  private readonly internet = internetProbe();
  private readonly profile: ProfileChoice;
  private readonly labOptions: Pick<
    AppOptions,
    'labMode' | 'labName' | 'labHostPorts' | 'labLimits' | 'labNetwork' | 'allowHostTarget' | 'remoteEngine'
  >;
  private chapters: Map<string, string>;
  private readonly yamlBridge: YamlBridge;
  private readonly images: ImageProvisioning;
  /** Tells the pages apart one start of the runner from the next (see RunnerState.instance). */
  private readonly instance = randomUUID();
  /** Running tutorial containers, refreshed after every Docker step, Reset and container stop. */
  private readonly containers = new TutorialContainers(
    () => this.engineCli(),
    (event) => this.events.publish(event),
  );

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
    this.chapters = chapterIndex(options.manifest);
    this.yamlBridge = new YamlBridge(this.workspace);
    this.images = new ImageProvisioning({
      profile: this.profile.profile,
      publish: (event) => this.events.publish(event),
      isolatedLab: () => (this.isolatedLab() ? this.lab : undefined),
    });
    // The runner's own records live outside the workspace, where no step in the lab can plant a
    // symlink (see Workspace.privateDir and README, Security).
    this.status = new StatusStore(this.workspace.privatePath('status.json'));
    this.transcripts = new Transcripts(this.workspace.privatePath('transcripts'));
    this.sessionLog = new SessionLogStore(
      this.workspace.privatePath('session-log'),
      (id) => this.transcripts.load(id),
      (id) => this.manifest.steps.find((s) => s.id === id),
    );
    this.events.listen((event) => this.sessionLog.record(event));
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
      prepareImages: (progress) => this.images.beforeDockerStep(progress),
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
    this.chapters = chapterIndex(manifest);
    this.runs.useManifest(manifest);
  }

  /** The chapter of a step, in the current manifest: `npm run dev` replaces it while pages listen. */
  chapterOf(stepId: string): string | undefined {
    return this.chapters.get(stepId);
  }

  state(): RunnerState {
    return {
      seq: this.events.seq,
      instance: this.instance,
      steps: this.status.all(),
      services: this.runs.services(),
      containers: this.containers.current,
      target: this.targetInfo(),
      active: this.runs.activeRuns(),
      queued: this.runs.queuedRuns(),
      ...(this.runs.batchState() && { batch: this.runs.batchState() }),
    };
  }

  refreshContainers(): Promise<void> {
    return this.containers.refresh();
  }

  stopContainer(name: string): Promise<void> {
    return this.containers.stop(name);
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

  /**
   * A remote lab's workspace and the runner's folder brought level (targets/lab-workspace-sync.ts);
   * nothing on other targets. The Files panel calls it before it reads and after a save.
   */
  async syncWorkspace(): Promise<void> {
    await this.current.syncWorkspace?.();
  }

  /** Python's own reading of a YAML text, for the live view (yaml-bridge.ts). */
  yaml(text: string): Promise<YamlResult> {
    return this.yamlBridge.parse(text, this.current);
  }

  /** Stops everything, removes what the tutorial made in Docker, and empties the workspace (reset.ts). */
  reset(): Promise<void> {
    return resetEverything(this.resetScope());
  }

  /** Resets one chapter only: what its steps made, and their statuses (reset.ts). */
  resetChapter(chapterId: string): Promise<void> {
    return resetChapter(this.resetScope(), chapterId);
  }

  /** Every image, on request (POST /api/provision). */
  provision(): Promise<void> {
    return this.images.all();
  }

  async shutdown(): Promise<void> {
    await this.runs.stopAll();
    this.events.close();
  }

  /** The target steps run on now (the terminal opens there). */
  get target(): Target {
    return this.current;
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
      ...(this.labOptions.remoteEngine && {
        remote: {
          ...this.labOptions.remoteEngine,
          syncState: this.workspace.privatePath(`lab-workspace-${this.labOptions.labName ?? 'myserver01'}.json`),
          // On the page (the toolbar's task line) and in the runner's own output.
          warn: (said: Said) => {
            console.warn(`Workspace: ${textOf(said)}`);
            this.events.publish({ type: 'progress', task: 'lab', ...sayBoth(said), final: true });
          },
        },
      }),
    });
  }

  /** Steps run in the isolated lab: their Docker objects live in the lab's own engine. */
  private isolatedLab(): boolean {
    return this.current === this.lab && this.lab.mode === 'isolated';
  }

  private engineCli(): EngineCli {
    return tutorialEngine(this.isolatedLab(), this.lab?.container);
  }

  private resetScope(): ResetScope {
    const app = this; // the getters below read the app at the moment a reset looks
    return {
      get manifest() {
        return app.manifest;
      },
      get lab() {
        return app.lab;
      },
      workspace: this.workspace,
      status: this.status,
      transcripts: this.transcripts,
      sessionLog: this.sessionLog,
      runs: this.runs,
      labHasOwnName: Boolean(this.labOptions.labName),
      publish: (event) => this.events.publish(event),
      refreshContainers: () => this.refreshContainers(),
      targetInfo: () => this.targetInfo(),
      forgetImages: () => this.images.forget(),
      chaptersEngine: async () => {
        if (this.isolatedLab() && !(await this.lab!.running())) await this.lab!.ensureReady();
        return this.engineCli();
      },
    };
  }

  private targetInfo(): TargetInfo {
    return {
      name: this.current.name,
      description: english(this.current.describe()),
      descriptionMsg: this.current.describe(),
      profile: this.profile.profile,
      profileReason: this.profile.reason,
      profileReasonMsg: this.profile.why,
      ...(this.current.portHost && this.current.portHost !== '127.0.0.1' && { portHost: this.current.portHost }),
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
