/**
 * Reset removes exactly the tutorial's Docker objects. Careful: like a real reset it removes every
 * object labelled runnable-tutorial=true on this engine, and every object of the tutorial's compose
 * projects, not only the ones this test makes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTutorialObjects, type CleanupReport } from '../../runner/engine/cleanup.ts';
import { docker } from '../../runner/engine/engine.ts';
import { labEngineAccess } from '../../runner/engine/engine-access.ts';
import { COMPOSE_PROJECT_LABEL, TUTORIAL_COMPOSE_PROJECTS, TUTORIAL_LABEL } from '../../runner/engine/labels.ts';
import { provision } from '../../runner/images/provision.ts';
import {
  LAB_CONTAINER,
  LAB_IMAGE,
  NGINX_STANDIN,
  POSTGRES_STANDIN,
  PYTHON_STANDIN,
} from '../../runner/images/recipes.ts';

const tag = `${process.pid}`;
const labelled = {
  container: `rt-test-labelled-${tag}`,
  network: `rt-test-labelled-${tag}`,
  image: `rt-test-labelled:${tag}`,
};
const unlabelled = { container: `rt-test-own-${tag}`, network: `rt-test-own-${tag}` };
const LABEL = ['--label', `${TUTORIAL_LABEL}=true`];
const labelledVolume = `rt-test-labelled-${tag}`;
/** A compose project of the tutorial's, and one of the learner's own. */
const tutorialProject = TUTORIAL_COMPOSE_PROJECTS[0]!;
const ownProject = `rt-test-own-compose-${tag}`;

/**
 * `docker compose up -d` as a step runs it: in the lab image, whose docker CLI (behind the label
 * shim) has the compose plugin, talking to this engine. Compose creates its objects through the
 * engine's API, so none of them carries the shim's label.
 */
async function composeUp(dir: string): Promise<void> {
  await docker([
    'run',
    '--rm',
    ...labEngineAccess().runArgs,
    '-v',
    `${dir}:${dir}`,
    '-w',
    dir,
    LAB_IMAGE,
    'docker',
    'compose',
    'up',
    '-d',
  ]);
}

function writeComposeProject(dir: string, name: string, withBuild: boolean): void {
  mkdirSync(path.join(dir, 'web'), { recursive: true });
  writeFileSync(path.join(dir, 'web', 'Dockerfile'), `FROM ${NGINX_STANDIN.image}\nRUN echo composed >/composed\n`);
  const web = withBuild ? '    build: ./web' : `    image: ${NGINX_STANDIN.image}`;
  writeFileSync(
    path.join(dir, 'docker-compose.yml'),
    `name: ${name}\nservices:\n  web:\n${web}\n    volumes:\n      - data:/data\nvolumes:\n  data:\n`,
  );
}

async function exists(kind: 'container' | 'network' | 'image' | 'volume', name: string): Promise<boolean> {
  return docker([kind, 'inspect', name]).then(
    () => true,
    () => false,
  );
}

describe('removing the tutorial objects', { timeout: 600_000 }, () => {
  const context = mkdtempSync(path.join(os.tmpdir(), 'cleanup-'));
  const tutorialCompose = mkdtempSync(path.join(os.tmpdir(), 'cleanup-compose-'));
  const ownCompose = mkdtempSync(path.join(os.tmpdir(), 'cleanup-own-compose-'));
  let report: CleanupReport;

  before(async () => {
    await provision({ profile: 'offline' });
    await docker(['network', 'create', ...LABEL, labelled.network]);
    await docker(['network', 'create', unlabelled.network]);
    // An image built FROM a stand-in, as the tutorial's `docker build` would through the shim.
    writeFileSync(path.join(context, 'Dockerfile'), `FROM ${NGINX_STANDIN.image}\nRUN echo built >/built\n`);
    await docker(['build', ...LABEL, '-t', labelled.image, context]);
    await docker(['run', '-d', ...LABEL, '--name', labelled.container, '--network', labelled.network, labelled.image]);
    await docker(['run', '-d', '--name', unlabelled.container, '--network', unlabelled.network, NGINX_STANDIN.image]);
    await docker(['volume', 'create', ...LABEL, labelledVolume]);
    writeComposeProject(tutorialCompose, tutorialProject, true);
    writeComposeProject(ownCompose, ownProject, false);
    await composeUp(tutorialCompose);
    await composeUp(ownCompose);
    await docker([
      'run',
      '-d',
      '--name',
      LAB_CONTAINER,
      '--label',
      'runnable-tutorial.lab=true',
      LAB_IMAGE,
      'sleep',
      'infinity',
    ]).catch(() => {});
    report = await removeTutorialObjects();
  });
  after(async () => {
    await docker(['rm', '-f', unlabelled.container]).catch(() => {});
    await docker(['network', 'rm', unlabelled.network]).catch(() => {});
    await docker(['rm', '-f', labelled.container]).catch(() => {});
    await docker(['network', 'rm', labelled.network]).catch(() => {});
    await docker(['image', 'rm', labelled.image]).catch(() => {});
    await docker(['volume', 'rm', labelledVolume]).catch(() => {});
    await docker(['rm', '-f', `${ownProject}-web-1`]).catch(() => {});
    await docker(['network', 'rm', `${ownProject}_default`]).catch(() => {});
    await docker(['volume', 'rm', `${ownProject}_data`]).catch(() => {});
    for (const dir of [context, tutorialCompose, ownCompose]) rmSync(dir, { recursive: true, force: true });
  });

  it('removes labelled containers, networks and images, and reports them', async () => {
    assert.ok(report.containers.includes(labelled.container), JSON.stringify(report));
    assert.ok(report.networks.includes(labelled.network));
    assert.ok(report.images.includes(labelled.image));
    assert.equal(await exists('container', labelled.container), false);
    assert.equal(await exists('network', labelled.network), false);
    assert.equal(await exists('image', labelled.image), false);
  });

  it('leaves no labelled container, network, volume or image behind', async () => {
    const filter = `label=${TUTORIAL_LABEL}=true`;
    assert.equal(await docker(['container', 'ls', '-aq', '--filter', filter]), '');
    assert.equal(await docker(['network', 'ls', '-q', '--filter', filter]), '');
    assert.equal(await docker(['image', 'ls', '-q', '--filter', filter]), '');
    assert.equal(await docker(['volume', 'ls', '-q', '--filter', filter]), '');
  });

  it('removes a labelled volume', async () => {
    assert.ok(report.volumes.includes(labelledVolume), JSON.stringify(report));
    assert.equal(await exists('volume', labelledVolume), false);
  });

  it("removes the container, network, volume and built image of the tutorial's compose project", async () => {
    assert.ok(report.containers.includes(`${tutorialProject}-web-1`), JSON.stringify(report));
    assert.ok(report.networks.includes(`${tutorialProject}_default`));
    assert.ok(report.volumes.includes(`${tutorialProject}_data`));
    assert.ok(report.images.includes(`${tutorialProject}-web:latest`));
    const project = `label=${COMPOSE_PROJECT_LABEL}=${tutorialProject}`;
    for (const kind of ['container', 'network', 'volume'] as const) {
      const listing = await docker([kind, 'ls', ...(kind === 'container' ? ['-a'] : []), '-q', '--filter', project]);
      assert.equal(listing, '', `${kind}s of ${tutorialProject} left`);
    }
    assert.equal(await exists('image', `${tutorialProject}-web`), false);
  });

  it("keeps the learner's own compose project", async () => {
    assert.equal(await exists('container', `${ownProject}-web-1`), true);
    assert.equal(await exists('network', `${ownProject}_default`), true);
    assert.equal(await exists('volume', `${ownProject}_data`), true);
  });

  it('removes the lab container', async () => {
    assert.ok(report.containers.includes(LAB_CONTAINER));
    assert.equal(await exists('container', LAB_CONTAINER), false);
  });

  it('keeps unlabelled objects, the stand-ins and the lab image', async () => {
    assert.equal(await exists('container', unlabelled.container), true);
    assert.equal(await exists('network', unlabelled.network), true);
    for (const image of [PYTHON_STANDIN.image, NGINX_STANDIN.image, POSTGRES_STANDIN.image, LAB_IMAGE])
      assert.equal(await exists('image', image), true, image);
  });
});
