/**
 * The Docker CLI of the isolated lab's own engine, as a function shaped like `docker()`: each
 * command runs as `docker exec myserver01 /usr/bin/docker ...` (the real CLI, not the label shim).
 * What the page lists and stops in an isolated lab lives there, not in the host's engine.
 */
import { docker, type DockerOptions } from './engine.ts';
import { LAB_CONTAINER } from '../images/recipes.ts';

export type EngineCli = (args: string[], options?: DockerOptions) => Promise<string>;

export function labEngineCli(container = LAB_CONTAINER): EngineCli {
  return (args, options = {}) =>
    docker(['exec', ...(options.input === undefined ? [] : ['-i']), container, '/usr/bin/docker', ...args], options);
}

/**
 * Ports something listens on, from the text of /proc/net/tcp and /proc/net/tcp6 (state 0A is
 * LISTEN; the local port is the hex after the colon). Read inside the lab, this is what a port
 * probe from the host cannot tell: behind a published port, is anyone there?
 */
export function listeningPorts(procNetTcp: string): Set<number> {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== '0A') continue;
    const port = Number.parseInt(fields[1]?.split(':').pop() ?? '', 16);
    if (Number.isInteger(port)) ports.add(port);
  }
  return ports;
}
