/**
 * An image's config (ENV, ENTRYPOINT, CMD, EXPOSE, VOLUME, LABEL: what `docker import --change` accepts)
 * as Dockerfile instructions. The same lines end a generated Dockerfile and are passed one by one
 * as `docker import --change`, so an image built either way is configured identically.
 */
import type { ImageConfig } from './recipes.ts';

export function configInstructions(config: ImageConfig, labels: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(config.env)) lines.push(`ENV ${key}=${quote(value)}`);
  if (config.entrypoint) lines.push(`ENTRYPOINT ${JSON.stringify(config.entrypoint)}`);
  lines.push(`CMD ${JSON.stringify(config.cmd)}`);
  for (const port of config.expose ?? []) lines.push(`EXPOSE ${port}`);
  for (const folder of config.volumes ?? []) lines.push(`VOLUME ${JSON.stringify([folder])}`);
  for (const [key, value] of Object.entries(labels)) lines.push(`LABEL ${quote(key)}=${quote(value)}`);
  return lines;
}

/** Double-quoted for the Dockerfile parser, which unescapes `\"` and `\\` inside quotes. */
function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
