/**
 * The shim's explanation when an image cannot be had offline, against a fake engine: a "real docker"
 * further down PATH that has the images in FAKE_LOCAL, answers `docker search` with FAKE_SEARCH_EXIT
 * (1: Docker Hub unreachable), reports FAKE_VERSIONS for its images when asked through a throwaway
 * container, and fails the learner's own command with FAKE_DOCKER_EXIT. The real engine is in
 * test/docker/offline-explain.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { installDockerShim } from './docker-shim.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'docker-shim-offline-'));
const shimDir = path.join(root, 'shim');
const realDir = path.join(root, 'real');
installDockerShim(shimDir);
mkdirSync(realDir);
writeFileSync(
  path.join(realDir, 'docker'),
  `#!/bin/bash
# Records every call, one a line, in FAKE_LOG; images pulled (from FAKE_STORE) in FAKE_LOG.pulled.
printf '%s\\n' "$*" >>"$FAKE_LOG"
local_images() { echo $FAKE_LOCAL $(cat "$FAKE_LOG.pulled" 2>/dev/null); }
has() { case " $(local_images) " in *" $1 "*) return 0 ;; esac; return 1; }
case "$1 $2" in
  'image inspect') has "\${@: -1}"; exit ;;
  'search --limit') exit "\${FAKE_SEARCH_EXIT:-1}" ;;
  'pull -q')
    case " $FAKE_STORE " in *" $3 "*) echo "$3" >>"$FAKE_LOG.pulled"; exit 0 ;; esac
    exit 1 ;;
  'image ls')
    if [ "$3" = --filter ]; then
      printf '%s\\n' $FAKE_STANDINS
      for image in $(cat "$FAKE_LOG.pulled" 2>/dev/null); do echo "$image"; done
      exit 0
    fi
    for image in $(local_images); do [ "\${image%:*}" = "\${@: -1}" ] && echo "$image"; done
    exit 0 ;;
  'run --rm')
    image=\${@: -3:1}
    IFS=';'; for entry in $FAKE_VERSIONS; do [ "\${entry%%=*}" = "$image" ] && printf '%s' "\${entry#*=}"; done
    exit 0 ;;
esac
exit "\${FAKE_DOCKER_EXIT:-0}"
`,
  { mode: 0o755 },
);

const OFFLINE = {
  FAKE_LOCAL: 'python:3.13 nginx:latest',
  FAKE_STANDINS: 'python:3.13 nginx:latest',
  FAKE_VERSIONS: 'python:3.13=Python 3.13.5, Django 4.2.28;nginx:latest=nginx 1.26.3',
};

function shim(args: string[], env: Record<string, string>, cwd = root) {
  const log = path.join(root, `calls-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const result = spawnSync(path.join(shimDir, 'docker'), args, {
    encoding: 'utf8',
    cwd,
    env: {
      PATH: `${shimDir}:${realDir}:/usr/bin:/bin`,
      FAKE_LOG: log,
      TUTORIAL_IMAGE_STORE: path.join(root, 'no-store'),
      ...env,
    },
  });
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { status: result.status, stderr: result.stderr, calls };
}

/**
 * The isolated lab's image store as the registry lays it out on disk, holding `images`; the fake
 * engine can pull exactly those (FAKE_STORE), as the lab's engine pulls through its mirror.
 */
function store(images: string[]): Record<string, string> {
  const dir = mkdtempSync(path.join(root, 'store-'));
  for (const image of images) {
    const [name, tag] = image.split(':');
    mkdirSync(path.join(dir, 'docker/registry/v2/repositories/library', name!, '_manifests/tags', tag!), {
      recursive: true,
    });
  }
  return { TUTORIAL_IMAGE_STORE: dir, FAKE_STORE: images.join(' ') };
}

function dockerfile(text: string): string {
  const dir = mkdtempSync(path.join(root, 'ctx-'));
  writeFileSync(path.join(dir, 'Dockerfile'), text);
  return dir;
}

describe('docker shim offline explanation', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('explains `docker run` of a missing tag, finding the image among options with values', () => {
    const out = shim(['run', '--rm', '-it', '-p', '80:80', '--name', 'web', '-eA=1', 'nginx:1.25.3', 'nginx', '-v'], {
      ...OFFLINE,
      FAKE_DOCKER_EXIT: '125',
    });
    assert.equal(out.status, 125);
    assert.equal(
      out.stderr,
      'offline: nginx:1.25.3 is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled.\n' +
        'offline: this machine has nginx:latest (nginx 1.26.3) instead: use nginx:latest in place of nginx:1.25.3.\n',
    );
  });

  it('explains `docker pull` and `docker image pull`, keeping the exit code', () => {
    for (const command of [['pull'], ['image', 'pull']]) {
      const out = shim([...command, '--platform', 'linux/amd64', 'python:3.13.9'], {
        ...OFFLINE,
        FAKE_DOCKER_EXIT: '1',
      });
      assert.equal(out.status, 1);
      assert.match(out.stderr, /^offline: python:3\.13\.9 is not on this machine, and no registry answers here/);
      assert.match(
        out.stderr,
        /this machine has python:3\.13 \(Python 3\.13\.5, Django 4\.2\.28\) instead: use python:3\.13 in place of python:3\.13\.9\.\n$/,
      );
    }
  });

  it("explains a Dockerfile's FROM, skipping its own stages and scratch", () => {
    const context = dockerfile('# syntax\nFROM python:3.13.9 AS base\nfrom base\nFROM scratch\nRUN true\n');
    const out = shim(['build', '-t', 'web', context], { ...OFFLINE, FAKE_DOCKER_EXIT: '1' });
    assert.equal(out.status, 1);
    assert.equal(
      out.stderr,
      "offline: the Dockerfile's FROM python:3.13.9 is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled.\n" +
        'offline: this machine has python:3.13 (Python 3.13.5, Django 4.2.28) instead: change the line to `FROM python:3.13`.\n',
    );
  });

  it('reads the Dockerfile given with -f, relative to the working directory', () => {
    const context = dockerfile('FROM nginx:1.25.3\n');
    const out = shim(
      ['image', 'build', '-f', 'Dockerfile', '-t', 'x', '.'],
      { ...OFFLINE, FAKE_DOCKER_EXIT: '1' },
      context,
    );
    assert.match(out.stderr, /FROM nginx:1\.25\.3 is not on this machine/);
  });

  it('names the stand-ins when there is no image of that name at all', () => {
    const out = shim(['run', 'node:20'], { ...OFFLINE, FAKE_DOCKER_EXIT: '125' });
    assert.match(
      out.stderr,
      /offline: this machine has no node image; the stand-ins here are python:3\.13 \(Python 3\.13\.5, Django 4\.2\.28\), nginx:latest \(nginx 1\.26\.3\)\.\n$/,
    );
  });

  it('says nothing when the image is here, when Docker Hub answers, or when the container itself failed', () => {
    assert.equal(shim(['pull', 'nginx'], { ...OFFLINE, FAKE_DOCKER_EXIT: '1' }).stderr, '');
    assert.equal(
      shim(['pull', 'nginx:1.25.3'], { ...OFFLINE, FAKE_DOCKER_EXIT: '1', FAKE_SEARCH_EXIT: '0' }).stderr,
      '',
    );
    assert.equal(shim(['run', 'nginx:1.25.3', 'false'], { ...OFFLINE, FAKE_DOCKER_EXIT: '1' }).stderr, '');
    assert.equal(shim(['pull', 'nginx:1.25.3'], { ...OFFLINE }).stderr, '');
  });

  it("isolated lab: finds the stand-in in the shared image store when the lab's engine has not pulled it yet", () => {
    const out = shim(['run', '--rm', 'nginx:1.25.3'], {
      ...OFFLINE,
      FAKE_LOCAL: '',
      FAKE_STANDINS: '',
      ...store(['nginx:latest', 'python:3.13']),
      FAKE_DOCKER_EXIT: '125',
    });
    assert.equal(out.status, 125);
    assert.equal(
      out.stderr,
      'offline: nginx:1.25.3 is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled.\n' +
        'offline: this machine has nginx:latest (nginx 1.26.3) instead: use nginx:latest in place of nginx:1.25.3.\n',
    );
    assert.ok(out.calls.includes('pull -q nginx:latest'), out.calls.join('\n'));
    assert.ok(!out.calls.includes('pull -q python:3.13'), 'only the image of that name is pulled');
  });

  it('isolated lab: names the stand-ins of the store when there is no image of that name at all', () => {
    const out = shim(['pull', 'node:20'], {
      ...OFFLINE,
      FAKE_LOCAL: '',
      FAKE_STANDINS: '',
      ...store(['nginx:latest', 'python:3.13']),
      FAKE_DOCKER_EXIT: '1',
    });
    assert.match(
      out.stderr,
      /offline: this machine has no node image; the stand-ins here are nginx:latest \(nginx 1\.26\.3\), python:3\.13 \(Python 3\.13\.5, Django 4\.2\.28\)\.\n$/,
    );
  });

  it('isolated lab: pulls nothing from the store when the command succeeded or the image is already here', () => {
    const env = { ...OFFLINE, ...store(['nginx:latest']) };
    assert.deepEqual(
      shim(['pull', 'nginx:1.25.3'], env).calls.filter((c) => c.startsWith('pull -q')),
      [],
    );
    assert.deepEqual(
      shim(['pull', 'nginx'], { ...env, FAKE_DOCKER_EXIT: '1' }).calls.filter((c) => c.startsWith('pull -q')),
      [],
    );
  });

  it('leaves images of other registries alone', () => {
    assert.equal(shim(['pull', 'ghcr.io/acme/web:1'], { ...OFFLINE, FAKE_DOCKER_EXIT: '1' }).stderr, '');
  });
});
