/**
 * What the runner core needs from Docker, in one place: engine status, who holds a port, the lab
 * target, provisioning and cleanup. (Wired to the docker modules beside this file.)
 */
import type { Target } from '../targets/target.ts';
import type { Workspace } from '../workspace.ts';

export interface DockerSupport {
  engineStatus(): Promise<{ ok: true } | { ok: false; message: string }>;
  containerOnPort(port: number): Promise<string | undefined>;
  removeTutorialObjects(): Promise<string>;
  provision(
    onProgress: (message: string, done?: number, total?: number) => void,
  ): Promise<{ profile: 'online' | 'offline'; reason: string }>;
}

export async function dockerSupport(): Promise<DockerSupport | undefined> {
  return undefined;
}

export function createLabTarget(_workspace: Workspace, _progress: (message: string) => void): Target {
  throw new Error('the lab target is not wired yet');
}
