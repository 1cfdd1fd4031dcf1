/**
 * What goes into each image the runner makes: Debian trixie packages, files from runner/images/files/,
 * scripts run inside the new root filesystem, and the image config. One recipe serves both ways
 * of building: debootstrap + `docker import` (offline) and a Dockerfile FROM debian:trixie (online,
 * lab image only).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../paths.ts';

export const LAB_IMAGE = 'runnable-tutorial/myserver01:trixie';
/** The lab container's name and hostname: the post's VM. */
export const LAB_CONTAINER = 'myserver01';
export const DEBIAN_SUITE = 'trixie';
/** Where recipe files and scripts live. */
export const LAB_FILES_DIR = path.join(REPO_ROOT, 'runner/images/files');

export interface RecipeFile {
  /** File name in runner/images/files/. */
  source: string;
  /** Absolute path in the image. */
  target: string;
  mode: number;
}

export interface ImageConfig {
  env: Record<string, string>;
  cmd: string[];
  entrypoint?: string[];
  expose?: number[];
}

export interface ImageRecipe {
  /** The tag it is made under, e.g. `python:3.13`. */
  image: string;
  /** `standin` images replace an official image offline; `lab` is the myserver01 image. */
  role: 'standin' | 'lab';
  /** Debian trixie packages, installed with their dependencies (not their recommendations). */
  packages: string[];
  files: RecipeFile[];
  /** Scripts from runner/images/files/, run in order as root inside the image's root filesystem. */
  scripts: string[];
  config: ImageConfig;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** pip settings for a machine without PyPI: no index, no version check, no warning about root. */
export const OFFLINE_PIP_ENV: Record<string, string> = {
  PIP_NO_INDEX: '1',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  PIP_ROOT_USER_ACTION: 'ignore',
};

const PYTHON_PACKAGES = [
  'python3',
  'python3-pip',
  'python-is-python3',
  'python3-django',
  'gunicorn',
  'python3-psycopg2',
  'python3-yaml',
];

/** pip and pip3 that explain, after pip's own error, an exact pin that no index can serve offline. */
const OFFLINE_PIP_FILES: RecipeFile[] = ['pip', 'pip3'].map((name) => ({
  source: 'pip-offline.py',
  target: `/usr/local/bin/${name}`,
  mode: 0o755,
}));

export const PYTHON_STANDIN: ImageRecipe = {
  image: 'python:3.13',
  role: 'standin',
  packages: [...PYTHON_PACKAGES, 'ca-certificates'],
  files: [...OFFLINE_PIP_FILES],
  scripts: ['python-customise.sh', 'image-clean.sh'],
  config: { env: { PATH, LANG: 'C.UTF-8', ...OFFLINE_PIP_ENV }, cmd: ['python3'] },
};

export const NGINX_STANDIN: ImageRecipe = {
  image: 'nginx:latest',
  role: 'standin',
  packages: ['nginx'],
  files: [
    { source: 'nginx-default.conf', target: '/etc/nginx/conf.d/default.conf', mode: 0o644 },
    { source: 'nginx-index.html', target: '/usr/share/nginx/html/index.html', mode: 0o644 },
    { source: 'nginx-50x.html', target: '/usr/share/nginx/html/50x.html', mode: 0o644 },
  ],
  scripts: ['nginx-customise.sh', 'image-clean.sh'],
  // The official image also says STOPSIGNAL SIGQUIT, which `docker import` cannot set; nginx stops on TERM too.
  config: { env: { PATH, LANG: 'C.UTF-8' }, cmd: ['nginx', '-g', 'daemon off;'], expose: [80] },
};

/**
 * The lab: the post's Ubuntu VM "myserver01", as Debian trixie. pip settings for offline use
 * come from the session environment (LabTarget.baseEnv), so one image serves both profiles.
 * tini is PID 1 so the orphans of killed runs are reaped instead of lingering as zombies.
 */
export const LAB_RECIPE: ImageRecipe = {
  image: LAB_IMAGE,
  role: 'lab',
  packages: [
    ...PYTHON_PACKAGES,
    'python3-venv',
    'bash',
    'tree',
    'curl',
    'procps',
    'ca-certificates',
    'git',
    'docker-cli',
    'docker-compose',
    // BuildKit for `docker build`, as the post shows its output, instead of the deprecated legacy builder.
    'docker-buildx',
    'tini',
    'sudo',
  ],
  files: [
    { source: 'docker-shim.sh', target: '/usr/local/bin/docker', mode: 0o755 },
    { source: 'tutorial-kill.sh', target: '/usr/local/bin/tutorial-kill', mode: 0o755 },
    ...OFFLINE_PIP_FILES,
  ],
  scripts: ['python-customise.sh', 'image-clean.sh'],
  config: { env: { PATH, LANG: 'C.UTF-8' }, entrypoint: ['/usr/bin/tini', '--'], cmd: ['sleep', 'infinity'] },
};

export const ALL_RECIPES = [PYTHON_STANDIN, NGINX_STANDIN, LAB_RECIPE];

/** Short hash of everything that shapes the image, file contents included. */
export function recipeHash(recipe: ImageRecipe): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ ...recipe, suite: DEBIAN_SUITE }));
  for (const name of [...recipe.files.map((f) => f.source), ...recipe.scripts]) {
    hash.update(`\0${name}\0`);
    hash.update(readFileSync(path.join(LAB_FILES_DIR, name)));
  }
  return hash.digest('hex').slice(0, 16);
}
