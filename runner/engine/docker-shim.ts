/**
 * The docker label shim (runner/images/files/docker-shim.sh) for the host target: copied as `docker` into a
 * folder the runner puts first on the session's PATH. The lab image has it at /usr/local/bin/docker.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { installInside } from '../fs/safe-write.ts';
import { LAB_FILES_DIR } from '../images/recipes.ts';

export const DOCKER_SHIM_SOURCE = path.join(LAB_FILES_DIR, 'docker-shim.sh');

/**
 * Installs the shim as `<binDir>/docker` (the runner's private `shims/` folder) and returns its
 * path. Whatever sits there already (a planted symlink, say) is replaced, never written through
 * nor made executable.
 */
export function installDockerShim(binDir: string): string {
  const parent = path.dirname(binDir);
  mkdirSync(parent, { recursive: true });
  installInside(parent, path.join(path.basename(binDir), 'docker'), DOCKER_SHIM_SOURCE, 0o755);
  return path.join(binDir, 'docker');
}
