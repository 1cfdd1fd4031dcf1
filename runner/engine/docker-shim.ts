/**
 * The docker label shim (runner/images/files/docker-shim.sh) for the host target: copied as `docker` into a
 * folder the runner puts first on the session's PATH. The lab image has it at /usr/local/bin/docker.
 */
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { LAB_FILES_DIR } from '../images/recipes.ts';

export const DOCKER_SHIM_SOURCE = path.join(LAB_FILES_DIR, 'docker-shim.sh');

/** Installs the shim as `<binDir>/docker` (e.g. `<workspace>/.runner/bin`) and returns its path. */
export function installDockerShim(binDir: string): string {
  mkdirSync(binDir, { recursive: true });
  const target = path.join(binDir, 'docker');
  copyFileSync(DOCKER_SHIM_SOURCE, target);
  chmodSync(target, 0o755);
  return target;
}
