/**
 * The runner, assembled: manifest, workspace, targets, runs and the event hub. The HTTP layer
 * (http/server.ts) calls these methods; nothing here knows about HTTP.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Manifest } from '../contract/manifest.ts';
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
  type ProfileChoice,
} from './docker/support.ts';
import { LabTarget } from './targets/lab.ts';

export interface AppOptions {
  manifest: Manifest;
  workspace: string;
  target: TargetName;
  /** Which images the lab and the chapters use; see docker/profile.ts. */
  profile: ProfileChoice;
  /** Run all pauses at checkpoint steps; `npm run verify` runs straight through. */
  pauseAtCheckpoints?: boolean;
}

export class RunnerApp {
  readonly manifest: Manifest;
  readonly workspace: Workspace;
  readonly events: EventHub;
  readonly runs: Runs;
  private readonly status: StatusStore;
  private readonly transcripts: Transcripts;
  private current: Target;
  private readonly host: HostTarget;
  private lab?: Target;
  private readonly internet = internetProbe();
  private readonly profile: ProfileChoice;
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
    const lab = app.lab ?? new LabTarget({ workspace: app.workspace.root, profile: app.profile.profile });
    await app.runs.endOrphans([app.host, lab]);
    await app.refreshContainers(); // the first page load already lists what runs from last time
    return app;
  }

  constructor(options: AppOptions) {
    this.manifest = options.manifest;
    this.profile = options.profile;
    this.workspace = new Workspace(options.workspace);
    this.host = new HostTarget({ shimDir: hostShimDir(this.workspace) });
    const chapterOf = new Map(options.manifest.steps.map((s) => [s.id, s.chapter]));
    this.events = new EventHub((id) => chapterOf.get(id));
    this.status = new StatusStore(this.workspace.state('status.json'));
    this.transcripts = new Transcripts(this.workspace.state('transcripts'));
    this.current = this.host;
    if (options.target === 'lab') this.current = this.labTarget();
    this.runs = new Runs({
      manifest: this.manifest,
      workspace: this.workspace,
      target: () => this.current,
      machine: () => this.machine(),
      status: this.status,
      transcripts: this.transcripts,
      live: new LiveRuns(this.workspace.state('live-runs.json')),
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
    const containers = (await engineStatus()).ok ? await tutorialContainers().catch(() => []) : [];
    if (JSON.stringify(containers) === JSON.stringify(this.containers)) return;
    this.containers = containers;
    this.events.publish({ type: 'containers', containers });
  }

  async stopContainer(name: string): Promise<void> {
    try {
      await stopTutorialContainer(name);
    } catch (error) {
      throw new RunRefused(404, (error as Error).message, 'reload the page to see which containers still run');
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
    if (!chapter) throw new RunRefused(404, `unknown chapter "${chapterId}"`);
    return chapter.steps.flatMap((id) => this.transcripts.load(id) ?? []);
  }

  async setTarget(name: TargetName): Promise<RunnerState> {
    if (name === this.current.name) return this.state();
    // Services belong to the target they started on: stop them, and start nothing meanwhile.
    await this.runs.whilePaused('a switch of target', async () => {
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
    child.stdin?.end(text);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let why = '';
    const stop = (reason: string) => {
      why ||= reason;
      void target.killRun(runId, 200).catch(() => {});
    };
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
        code === 127 || code === -1 ? `python3 was not found on the ${target.name} target` : stderr.trim();
      return { ok: false, error: { message: `python3 could not parse it: ${missing || `exit code ${code}`}` } };
    }
    try {
      return JSON.parse(stdout) as YamlResult;
    } catch {
      return { ok: false, error: { message: `python3 printed something that is not JSON: ${stdout.slice(0, 200)}` } };
    }
  }

  /** Stops everything, removes what the tutorial made in Docker, and empties the workspace. */
  async reset(): Promise<void> {
    const progress = (message: string) => this.events.publish({ type: 'progress', task: 'reset', message });
    progress('stopping running steps and services');
    await this.runs.whilePaused('a reset', () => this.clearEverything(progress));
    await this.refreshContainers();
    this.events.publish({ type: 'progress', task: 'reset', message: 'done', final: true });
    this.events.publish({ type: 'target', target: this.targetInfo() });
  }

  /**
   * Reset this chapter: stops its runs and services, removes what its steps made (and only that),
   * and forgets its statuses. Other chapters keep their work and their progress.
   */
  async resetChapter(chapterId: string): Promise<void> {
    const chapter = this.manifest.chapters.find((c) => c.id === chapterId);
    if (!chapter) throw new RunRefused(404, `unknown chapter "${chapterId}"`);
    const progress = (message: string, final = false) =>
      this.events.publish({ type: 'progress', task: 'reset', message, ...(final && { final }) });
    progress(`this chapter: stopping its steps and services`);
    await this.runs.whilePaused('a reset of this chapter', async () => {
      const removed = await removeChapterFootprint(this.manifest, chapterId, this.workspace, (await engineStatus()).ok);
      for (const id of chapter.steps) {
        this.status.delete(id);
        this.transcripts.remove(id);
      }
      progress(removed.length ? `removed ${removed.join(', ')}` : 'nothing of this chapter was left');
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
        ? `done; this chapter starts from ${undone.map((c) => `"${c.title}"`).join(', ')}, which ${undone.length === 1 ? 'is' : 'are'} not done yet: run ${undone.length === 1 ? 'it' : 'them'} first`
        : 'done',
      true,
    );
  }

  private async clearEverything(progress: (message: string) => void): Promise<void> {
    if ((await engineStatus()).ok) {
      progress("removing the tutorial's containers, networks and images");
      progress(await removeTutorialDockerObjects());
    }
    progress('emptying the workspace');
    await this.emptyWorkspace();
    hostShimDir(this.workspace); // the label shim lived in the workspace too
    this.status.clear();
  }

  /**
   * Before the first Docker step: the base images the chapters' Dockerfiles name must exist
   * (pulled online, built from Debian packages offline). Fast when they do; the first offline
   * build takes a minute or two, with progress on the page.
   */
  private async prepareImages(progress: (message: string) => void): Promise<void> {
    this.imagesReady ??= (async () => {
      let last = '';
      await provisionImages(this.profile.profile, (message, done, total) => {
        this.events.publish({ type: 'progress', task: 'provision', message, done, total });
        const tenth = `${message.split(':')[0]} ${Math.floor(done / 10)}`;
        if (tenth !== last) progress(`${message} (${done}%)`);
        last = tenth;
      });
      this.events.publish({ type: 'progress', task: 'provision', message: 'images ready', final: true });
    })().catch((error: unknown) => {
      this.imagesReady = undefined; // try again next time
      throw error;
    });
    return this.imagesReady;
  }

  async provision(): Promise<void> {
    const status = await engineStatus();
    if (!status.ok) throw new RunRefused(503, status.message);
    await provisionImages(this.profile.profile, (message, done, total) =>
      this.events.publish({ type: 'progress', task: 'provision', message, done, total }),
    );
    this.events.publish({ type: 'progress', task: 'provision', message: 'done', final: true });
  }

  async shutdown(): Promise<void> {
    await this.runs.stopAll();
    this.events.closeAll();
  }

  publish(event: RunnerEvent): void {
    this.events.publish(event);
  }

  private labTarget(): Target {
    this.lab ??= new LabTarget({ workspace: this.workspace.root, profile: this.profile.profile });
    return this.lab;
  }

  /**
   * Steps hand their files back to the learner when they end (step-wrapper.sh), but what a lab
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
      description: this.current.describe(),
      profile: this.profile.profile,
      profileReason: this.profile.reason,
    };
  }

  private machine(): Machine {
    return {
      target: this.current.name,
      dockerStatus: engineStatus,
      internet: this.internet,
      isRoot: () => os.userInfo().uid === 0,
      portHolder: async (port) => {
        const service = this.runs.services().find((s) => s.port === port);
        if (service) return `step ${service.stepId} (a running service)`;
        return portOwner(port);
      },
    };
  }
}
