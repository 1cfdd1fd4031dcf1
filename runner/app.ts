/**
 * The runner, assembled: manifest, workspace, targets, runs and the event hub. The HTTP layer
 * (http/server.ts) calls these methods; nothing here knows about HTTP.
 */
import os from 'node:os';
import type { Manifest } from '../src/steps/manifest.ts';
import type { RunnerEvent, RunnerState, TargetInfo, YamlResult } from './api/protocol.ts';
import { EventHub } from './http/event-hub.ts';
import { internetProbe, type Machine } from './preflight.ts';
import { RunRefused, Runs } from './runs/runs.ts';
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
  type ProfileChoice,
} from './docker/support.ts';
import { LabTarget } from './targets/lab.ts';

export interface AppOptions {
  manifest: Manifest;
  workspace: string;
  target: TargetName;
  /** Which images the lab and the chapters use; see docker/profile.ts. */
  profile: ProfileChoice;
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

  /** Decides the image profile (a registry probe, unless TUTORIAL_PROFILE says), then builds the app. */
  static async create(options: Omit<AppOptions, 'profile'> & { profile?: ProfileChoice }): Promise<RunnerApp> {
    return new RunnerApp({ ...options, profile: options.profile ?? (await chooseImageProfile()) });
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
      publish: (event) => this.events.publish(event),
    });
  }

  state(): RunnerState {
    return {
      steps: this.status.all(),
      services: this.runs.services(),
      target: this.targetInfo(),
      active: this.runs.activeRuns(),
      ...(this.runs.batchState() && { batch: this.runs.batchState() }),
    };
  }

  transcript(stepId: string) {
    return this.transcripts.load(stepId);
  }

  async setTarget(name: TargetName): Promise<RunnerState> {
    if (name === this.current.name) return this.state();
    await this.runs.stopAll(); // services belong to the target they started on
    this.current = name === 'lab' ? this.labTarget() : this.host;
    this.events.publish({ type: 'target', target: this.targetInfo() });
    return this.state();
  }

  /** Python's own reading of a YAML text, for the live view. The text is data; the code is ours. */
  async yaml(text: string): Promise<YamlResult> {
    const target = this.current;
    await target.ensureReady();
    const files = sessionFiles(this.workspace, target.name);
    const child = target.spawn(['python3', files.yamlToJson], {
      cwd: this.workspace.root,
      env: target.baseEnv(this.workspace.home),
      runId: `yaml-${Date.now()}`,
    });
    child.stdin?.end(text);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
      child.once('error', () => resolve(-1));
    });
    if (code !== 0) return { ok: false, error: { message: `python3 could not parse it: ${stderr.trim() || `exit ${code}`}` } };
    return JSON.parse(stdout) as YamlResult;
  }

  /** Stops everything, removes what the tutorial made in Docker, and empties the workspace. */
  async reset(): Promise<void> {
    const progress = (message: string) => this.events.publish({ type: 'progress', task: 'reset', message });
    progress('stopping running steps and services');
    await this.runs.stopAll();
    if ((await engineStatus()).ok) {
      progress("removing the tutorial's containers, networks and images");
      progress(await removeTutorialDockerObjects());
    }
    progress('emptying the workspace');
    await this.emptyWorkspace();
    this.status.clear();
    progress('done');
    this.events.publish({ type: 'target', target: this.targetInfo() });
  }

  async provision(): Promise<void> {
    const status = await engineStatus();
    if (!status.ok) throw new RunRefused(503, status.message);
    await provisionImages(this.profile.profile, (message, done, total) =>
      this.events.publish({ type: 'progress', task: 'provision', message, done, total }),
    );
    this.events.publish({ type: 'progress', task: 'provision', message: 'done' });
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

  /** Files the lab made belong to its root user; only the lab can delete them for an unprivileged runner. */
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

