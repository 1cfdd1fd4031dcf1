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
import { createLabTarget, dockerSupport } from './docker/support.ts';

export interface AppOptions {
  manifest: Manifest;
  workspace: string;
  target: TargetName;
}

export class RunnerApp {
  readonly manifest: Manifest;
  readonly workspace: Workspace;
  readonly events: EventHub;
  readonly runs: Runs;
  private readonly status: StatusStore;
  private readonly transcripts: Transcripts;
  private current: Target;
  private readonly host = new HostTarget();
  private lab?: Target;
  private readonly internet = internetProbe();
  private profile?: { profile: 'online' | 'offline'; reason: string };

  constructor(options: AppOptions) {
    this.manifest = options.manifest;
    this.workspace = new Workspace(options.workspace);
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
    const tools = await dockerSupport();
    if (tools) {
      progress("removing the tutorial's containers, networks and images");
      const removed = await tools.removeTutorialObjects();
      progress(`removed ${removed}`);
    }
    progress('emptying the workspace');
    this.workspace.empty();
    this.status.clear();
    progress('done');
    this.events.publish({ type: 'target', target: this.targetInfo() });
  }

  async provision(): Promise<void> {
    const tools = await dockerSupport();
    if (!tools) throw new RunRefused(503, 'the Docker provisioning module is not available');
    const result = await tools.provision((message, done, total) =>
      this.events.publish({ type: 'progress', task: 'provision', message, done, total }),
    );
    this.profile = result;
    this.events.publish({ type: 'target', target: this.targetInfo() });
  }

  async shutdown(): Promise<void> {
    await this.runs.stopAll();
    this.events.closeAll();
  }

  publish(event: RunnerEvent): void {
    this.events.publish(event);
  }

  private labTarget(): Target {
    this.lab ??= createLabTarget(this.workspace, (message) =>
      this.events.publish({ type: 'progress', task: 'lab', message }),
    );
    return this.lab;
  }

  private targetInfo(): TargetInfo {
    return {
      name: this.current.name,
      description: this.current.describe(),
      ...(this.profile && { profile: this.profile.profile, profileReason: this.profile.reason }),
    };
  }

  private machine(): Machine {
    return {
      target: this.current.name,
      dockerStatus: async () => {
        const tools = await dockerSupport();
        return tools ? tools.engineStatus() : { ok: false, message: 'Docker support is not installed in this runner' };
      },
      internet: this.internet,
      isRoot: () => os.userInfo().uid === 0,
      portHolder: async (port) => {
        const service = this.runs.services().find((s) => s.port === port);
        if (service) return `step ${service.stepId} (a running service)`;
        const tools = await dockerSupport();
        return tools?.containerOnPort(port);
      },
    };
  }
}

