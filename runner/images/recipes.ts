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
  /** Folders declared as volumes (`VOLUME`): Docker gives each container a volume there unless one is mounted. */
  volumes?: string[];
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

/**
 * pip and pip3 that explain, after pip's own error, an exact pin that no index can serve offline;
 * and `python -m pip`, which bypasses them, routed to them by a `.pth` hook in Debian's site folder.
 */
const OFFLINE_PIP_FILES: RecipeFile[] = [
  ...['pip', 'pip3'].map((name) => ({ source: 'pip-offline.py', target: `/usr/local/bin/${name}`, mode: 0o755 })),
  { source: 'pip-module-offline.py', target: '/usr/lib/python3/dist-packages/tutorial_pip_module.py', mode: 0o644 },
  { source: 'pip-module-offline.pth', target: '/usr/lib/python3/dist-packages/tutorial-pip-module.pth', mode: 0o644 },
];

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
 * `postgres:17`, not `latest`: from PostgreSQL 18 on, the official image keeps its data in
 * /var/lib/postgresql/18/docker and declares /var/lib/postgresql as its volume, so the
 * `-v ...:/var/lib/postgresql/data` the tutorial (and most guides) use would no longer hold the
 * data. Debian trixie ships PostgreSQL 17, so the stand-in is the same major version.
 * The entrypoint (runner/lab/postgres-entrypoint.sh) keeps the official image's contract.
 * The official image also says STOPSIGNAL SIGINT, which `docker import` cannot set; on SIGTERM
 * PostgreSQL waits for its clients to disconnect, which `docker stop`'s ten seconds allow for.
 */
export const POSTGRES_STANDIN: ImageRecipe = {
  image: 'postgres:17',
  role: 'standin',
  packages: ['postgresql-17'],
  files: [{ source: 'postgres-entrypoint.sh', target: '/usr/local/bin/docker-entrypoint.sh', mode: 0o755 }],
  scripts: ['postgres-customise.sh', 'image-clean.sh'],
  config: {
    env: {
      PATH: `${PATH}:/usr/lib/postgresql/17/bin`,
      LANG: 'C.UTF-8',
      PG_MAJOR: '17',
      PGDATA: '/var/lib/postgresql/data',
    },
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    expose: [5432],
    volumes: ['/var/lib/postgresql/data'],
  },
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
    // BuildKit for `docker build` (the buildx plugin), so the lab prints what the post shows
    // (`=> [2/6] WORKDIR /usr/src/app`) instead of the legacy builder's deprecation notice.
    'docker-buildx',
    'tini',
    'sudo',
    // Chapter 6 installs PostgreSQL on the server. Preinstalled, because apt inside the lab has no
    // package lists (image-clean.sh) and, offline, no mirror to fetch them from; the chapter says so.
    'postgresql',
    // The lab shares the host's network, so its /etc/hosts is the host's and does not name
    // myserver01; sudo would then warn "unable to resolve host myserver01" on every call.
    'libnss-myhostname',
  ],
  files: [
    { source: 'docker-shim.sh', target: '/usr/local/bin/docker', mode: 0o755 },
    { source: 'tutorial-kill.sh', target: '/usr/local/bin/tutorial-kill', mode: 0o755 },
    ...OFFLINE_PIP_FILES,
  ],
  scripts: ['python-customise.sh', 'image-clean.sh'],
  config: { env: { PATH, LANG: 'C.UTF-8' }, entrypoint: ['/usr/bin/tini', '--'], cmd: ['sleep', 'infinity'] },
};

export const LAB_ENGINE_IMAGE = 'runnable-tutorial/myserver01:trixie-engine';

/**
 * The isolated lab: the same VM with a Docker engine of its own (Debian's docker.io, engine 26.1)
 * and a registry mirror (docker-registry) that serves the tutorial's images from a store shared
 * read-only by every lab (lab-engine.sh starts both). A separate image, so the shared-engine lab
 * stays small and the two never rebuild each other.
 */
export const LAB_ENGINE_RECIPE: ImageRecipe = {
  ...LAB_RECIPE,
  image: LAB_ENGINE_IMAGE,
  packages: [...LAB_RECIPE.packages, 'docker.io', 'docker-registry', 'iptables'],
  files: [
    ...LAB_RECIPE.files,
    { source: 'lab-engine.sh', target: '/usr/local/bin/lab-engine', mode: 0o755 },
    { source: 'lab-mirror.yml', target: '/etc/lab-engine/mirror.yml', mode: 0o644 },
    { source: 'lab-mirror-seed.yml', target: '/etc/lab-engine/mirror-seed.yml', mode: 0o644 },
  ],
  config: { ...LAB_RECIPE.config, entrypoint: ['/usr/bin/tini', '--', '/usr/local/bin/lab-engine'] },
};

export const ALL_RECIPES = [PYTHON_STANDIN, NGINX_STANDIN, POSTGRES_STANDIN, LAB_RECIPE, LAB_ENGINE_RECIPE];

/**
 * What `npm run provision` and the first Docker step prepare: the stand-ins and the lab image of
 * the lab in use (RUNNER_LAB=shared: the one without an engine of its own), not both lab images.
 */
export function defaultImages(labMode = process.env.RUNNER_LAB): string[] {
  const lab = labMode?.trim() === 'shared' ? LAB_IMAGE : LAB_ENGINE_IMAGE;
  return ALL_RECIPES.filter((r) => r.role === 'standin' || r.image === lab).map((r) => r.image);
}

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
