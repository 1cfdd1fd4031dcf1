/**
 * The host target: steps run directly on this machine, each run in its own process group and
 * tagged with its run id, so cancelling finds the whole tree.
 */
import { say, type Message } from '../../contract/messages.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { RUN_ID_ENV, type SpawnOptions, type Target } from './target.ts';

export interface HostTargetOptions {
  /** Put first on PATH: holds the docker label shim, so what steps create can be cleaned up. */
  shimDir?: string;
}

export class HostTarget implements Target {
  readonly name = 'host' as const;
  private readonly leaders = new Map<string, number>();
  private readonly shimDir?: string;

  constructor(options: HostTargetOptions = {}) {
    this.shimDir = options.shimDir;
  }

  describe(): Message {
    return say('target.host', { system: `${os.type()} ${os.release()}`, user: os.userInfo().username });
  }

  async ensureReady(): Promise<void> {}

  spawn(argv: string[], options: SpawnOptions): ChildProcess {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: { ...options.env, [RUN_ID_ENV]: options.runId },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: one signal reaches every child
    });
    // Kept after the leader exits: a `cmd &` child may still run in its group until killRun.
    if (child.pid) this.leaders.set(options.runId, child.pid);
    return child;
  }

  async killRun(runId: string, graceMs = 2000): Promise<void> {
    const signalAll = (signal: NodeJS.Signals) => {
      const leader = this.leaders.get(runId);
      if (leader) tryKill(-leader, signal);
      for (const pid of taggedProcesses(runId)) tryKill(pid, signal);
    };
    signalAll('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && this.alive(runId)) await sleep(50);
    if (this.alive(runId)) signalAll('SIGKILL');
    const killDeadline = Date.now() + 2000;
    while (Date.now() < killDeadline && this.alive(runId)) await sleep(50);
    this.leaders.delete(runId);
  }

  openKernel(script: string, cwd: string): ChildProcess {
    // Its own process group: Ctrl+C in the runner's terminal is for the runner, which then stops
    // the steps itself; the kernel exits when its stdin (the runner) goes away.
    return spawn('bash', ['--noprofile', '--norc', script, 'serve'], {
      cwd,
      env: {},
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
  }

  async killProcesses(runId: string, pids: number[], groups: number[]): Promise<void> {
    for (const group of groups) tryKill(-group, 'SIGKILL');
    for (const pid of pids) tryKill(pid, 'SIGKILL');
    await this.killRun(runId, 500);
  }

  baseEnv(home: string): Record<string, string> {
    const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'DOCKER_HOST', 'DOCKER_CONFIG', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR'];
    const env: Record<string, string> = {};
    for (const key of keep) if (process.env[key]) env[key] = process.env[key]!;
    if (!process.env.DOCKER_CONFIG && process.env.HOME) env.DOCKER_CONFIG = `${process.env.HOME}/.docker`;
    if (this.shimDir) env.PATH = `${this.shimDir}:${env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`;
    return { ...env, HOME: home, TERM: 'xterm-256color', LANG: env.LANG ?? 'C.UTF-8', PYTHONUNBUFFERED: '1' };
  }

  private alive(runId: string): boolean {
    const leader = this.leaders.get(runId);
    if (leader && groupAlive(leader)) return true;
    return taggedProcesses(runId).length > 0;
  }
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(leader: number): boolean {
  try {
    process.kill(-leader, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live processes whose environment carries this run id (Linux /proc; empty elsewhere). */
export function taggedProcesses(runId: string): number[] {
  const marker = `${RUN_ID_ENV}=${runId}\0`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (`${environ}\0`.includes(marker) && !isZombie(entry)) found.push(Number(entry));
    } catch {
      // vanished or not ours to read
    }
  }
  return found;
}

function isZombie(pid: string): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return true;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
