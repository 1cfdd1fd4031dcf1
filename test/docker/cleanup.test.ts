/**
 * Reset removes exactly the tutorial's Docker objects. Careful: like a real reset it removes every
 * object labelled runnable-tutorial=true on this engine, not only the ones this test makes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTutorialObjects, type CleanupReport } from '../../runner/engine/cleanup.ts';
import { docker } from '../../runner/engine/engine.ts';
import { TUTORIAL_LABEL } from '../../runner/engine/labels.ts';
import { provision } from '../../runner/images/provision.ts';
import { LAB_CONTAINER, LAB_IMAGE, NGINX_STANDIN, PYTHON_STANDIN } from '../../runner/images/recipes.ts';

const tag = `${process.pid}`;
const labelled = {
  container: `rt-test-labelled-${tag}`,
  network: `rt-test-labelled-${tag}`,
  image: `rt-test-labelled:${tag}`,
};
const unlabelled = { container: `rt-test-own-${tag}`, network: `rt-test-own-${tag}` };
const LABEL = ['--label', `${TUTORIAL_LABEL}=true`];

async function exists(kind: 'container' | 'network' | 'image', name: string): Promise<boolean> {
  return docker([kind, 'inspect', name]).then(
    () => true,
    () => false,
  );
}

describe('removing the tutorial objects', { timeout: 600_000 }, () => {
  const context = mkdtempSync(path.join(os.tmpdir(), 'cleanup-'));
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
    rmSync(context, { recursive: true, force: true });
  });

  it('removes labelled containers, networks and images, and reports them', async () => {
    assert.ok(report.containers.includes(labelled.container), JSON.stringify(report));
    assert.ok(report.networks.includes(labelled.network));
    assert.ok(report.images.includes(labelled.image));
    assert.equal(await exists('container', labelled.container), false);
    assert.equal(await exists('network', labelled.network), false);
    assert.equal(await exists('image', labelled.image), false);
  });

  it('leaves no labelled container, network or image behind', async () => {
    const filter = `label=${TUTORIAL_LABEL}=true`;
    assert.equal(await docker(['container', 'ls', '-aq', '--filter', filter]), '');
    assert.equal(await docker(['network', 'ls', '-q', '--filter', filter]), '');
    assert.equal(await docker(['image', 'ls', '-q', '--filter', filter]), '');
  });

  it('removes the lab container', async () => {
    assert.ok(report.containers.includes(LAB_CONTAINER));
    assert.equal(await exists('container', LAB_CONTAINER), false);
  });

  it('keeps unlabelled objects, the stand-ins and the lab image', async () => {
    assert.equal(await exists('container', unlabelled.container), true);
    assert.equal(await exists('network', unlabelled.network), true);
    for (const image of [PYTHON_STANDIN.image, NGINX_STANDIN.image, LAB_IMAGE])
      assert.equal(await exists('image', image), true, image);
  });
});
