/**
 * Which container publishes a host port, so a step that needs port 8000 can say "held by the
 * container weweb01 (docker stop weweb01)" instead of only "port in use".
 */
import { docker } from './engine.ts';
import type { EngineCli } from './lab-engine.ts';

/** Name of a running container that publishes `port` on the host, or undefined. */
export async function containerOnPort(
  port: number,
  signal?: AbortSignal,
  cli: EngineCli = docker,
): Promise<string | undefined> {
  const names = await cli(['container', 'ls', '--filter', `publish=${port}`, '--format', '{{.Names}}'], { signal });
  return names.split('\n').find(Boolean);
}
