/**
 * Which container publishes a host port, so a step that needs port 8000 can say "held by the
 * container weweb01 (docker stop weweb01)" instead of only "port in use".
 */
import { docker } from './engine.ts';

/** Name of a running container that publishes `port` on the host, or undefined. */
export async function containerOnPort(port: number, signal?: AbortSignal): Promise<string | undefined> {
  const names = await docker(['container', 'ls', '--filter', `publish=${port}`, '--format', '{{.Names}}'], { signal });
  return names.split('\n').find(Boolean);
}
