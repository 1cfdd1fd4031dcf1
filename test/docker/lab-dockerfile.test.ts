/**
 * The online way of making the lab image, run here without a registry: the generated Dockerfile
 * is built FROM the local Debian trixie stand-in instead of debian:trixie (same suite, same apt
 * sources), so its apt-get install, COPY and scripts are really exercised. About a minute.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { docker } from '../../runner/engine/engine.ts';
import { buildWithDockerfile } from '../../runner/images/online-build.ts';
import { provision } from '../../runner/images/provision.ts';
import { LAB_RECIPE, NGINX_STANDIN } from '../../runner/images/recipes.ts';

const TAG = 'runnable-tutorial-test/lab-online:test';

describe('lab image from its Dockerfile', { timeout: 600_000 }, () => {
  before(async () => {
    await provision({ profile: 'offline', images: [NGINX_STANDIN.image] });
    await buildWithDockerfile(LAB_RECIPE, { 'runnable-tutorial.lab': 'true' }, { base: NGINX_STANDIN.image, tag: TAG });
  });
  after(async () => {
    await docker(['image', 'rm', TAG]).catch(() => {});
  });

  it('has the lab tools, the shim and the kill helper', async () => {
    const out = await docker([
      'run',
      '--rm',
      TAG,
      'bash',
      '-c',
      'python --version && python -m django --version && docker compose version && command -v docker tutorial-kill tini tree',
    ]);
    assert.match(
      out,
      /^Python 3\.13\.\d+\n4\.2\.\d+\nDocker Compose version .*\n\/usr\/local\/bin\/docker\n\/usr\/local\/bin\/tutorial-kill\n\/usr\/bin\/tini\n\/usr\/bin\/tree$/,
    );
  });

  it("has PostgreSQL 17 installed with Debian's main cluster, for chapter 6", async () => {
    const out = await docker(['run', '--rm', TAG, 'bash', '-c', 'pg_lsclusters --no-header; sudo -u postgres true']);
    assert.match(out, /^17\s+main\s+5432 down\s+postgres\s+\/var\/lib\/postgresql\/17\/main /);
  });

  it('lets pip install as root, like the offline-built lab', async () => {
    assert.equal(
      await docker(['run', '--rm', TAG, 'sh', '-c', 'ls /usr/lib/python3*/EXTERNALLY-MANAGED 2>/dev/null | wc -l']),
      '0',
    );
  });

  it('runs tini as PID 1 with the labels it was given', async () => {
    const config = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .Config}}', TAG])) as {
      Entrypoint: string[];
      Cmd: string[];
      Labels: Record<string, string>;
    };
    assert.deepEqual(
      [config.Entrypoint, config.Cmd],
      [
        ['/usr/bin/tini', '--'],
        ['sleep', 'infinity'],
      ],
    );
    assert.equal(config.Labels['runnable-tutorial.lab'], 'true');
  });
});
