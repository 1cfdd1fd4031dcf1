import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { dockerfileFor, stageBuildContext } from './dockerfile.ts';
import { configInstructions } from './image-config.ts';
import { LAB_RECIPE, NGINX_STANDIN, POSTGRES_STANDIN } from './recipes.ts';

const labels = { 'runnable-tutorial.lab': 'true', 'runnable-tutorial.recipe': 'abc123' };

describe('the lab Dockerfile (online profile)', () => {
  const text = dockerfileFor(LAB_RECIPE, labels);
  const lines = text.split('\n');

  it('starts from debian:trixie and installs every recipe package with apt-get', () => {
    assert.equal(lines[0], 'FROM debian:trixie');
    assert.match(
      text,
      /apt-get update \\\n && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\\n/,
    );
    for (const name of ['python3-django', 'gunicorn', 'docker-cli', 'docker-compose', 'tini', 'tree']) {
      assert.ok(lines.includes(`      ${name} \\`), `${name} is installed`);
    }
  });

  it('copies the shim and kill helper, then runs the customise scripts in order', () => {
    assert.ok(lines.includes('COPY files/ /'));
    assert.ok(lines.includes('COPY scripts/ /tmp/recipe/'));
    assert.ok(lines.includes('RUN sh /tmp/recipe/python-customise.sh && sh /tmp/recipe/image-clean.sh'));
  });

  it('ends with the image config and labels', () => {
    assert.ok(
      text.endsWith(
        [
          'ENV PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"',
          'ENV LANG="C.UTF-8"',
          'ENTRYPOINT ["/usr/bin/tini","--"]',
          'CMD ["sleep","infinity"]',
          'LABEL "runnable-tutorial.lab"="true"',
          'LABEL "runnable-tutorial.recipe"="abc123"',
          '',
        ].join('\n'),
      ),
    );
  });

  it('stages a context whose files keep their modes', () => {
    const context = stageBuildContext(LAB_RECIPE, labels);
    try {
      assert.equal(readFileSync(path.join(context, 'Dockerfile'), 'utf8'), text);
      assert.equal(statSync(path.join(context, 'files/usr/local/bin/docker')).mode & 0o777, 0o755);
      assert.ok(statSync(path.join(context, 'scripts/python-customise.sh')).isFile());
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });
});

describe('image config as instructions', () => {
  it('writes nginx the way the official image is configured', () => {
    assert.deepEqual(configInstructions(NGINX_STANDIN.config, {}).slice(2), [
      'CMD ["nginx","-g","daemon off;"]',
      'EXPOSE 80',
    ]);
  });

  it('writes postgres with its entrypoint, port and data volume, as the official image has them', () => {
    assert.deepEqual(configInstructions(POSTGRES_STANDIN.config, {}).slice(4), [
      'ENTRYPOINT ["docker-entrypoint.sh"]',
      'CMD ["postgres"]',
      'EXPOSE 5432',
      'VOLUME ["/var/lib/postgresql/data"]',
    ]);
  });

  it('quotes values so spaces and quotes survive', () => {
    assert.deepEqual(configInstructions({ env: { A: 'x "y" z' }, cmd: [] }, { note: 'a\\b' }), [
      'ENV A="x \\"y\\" z"',
      'CMD []',
      'LABEL "note"="a\\\\b"',
    ]);
  });
});
