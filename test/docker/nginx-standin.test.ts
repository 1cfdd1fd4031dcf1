/** The offline nginx:latest stand-in behaves like the official image for what the tutorial does. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { docker } from '../../runner/engine/engine.ts';
import { containerOnPort } from '../../runner/engine/port-owner.ts';
import { provision } from '../../runner/images/provision.ts';

const IMAGE = 'nginx:latest';

describe('nginx:latest stand-in', { timeout: 600_000 }, () => {
  let container = '';
  let port = 0;
  before(async () => {
    await provision({ profile: 'offline', images: [IMAGE] });
    container = await docker(['run', '-d', '-p', '127.0.0.1::80', IMAGE]);
    port = Number((await docker(['port', container, '80/tcp'])).split('\n')[0]?.split(':').at(-1));
  });
  after(async () => {
    if (container) await docker(['rm', '-f', container]);
  });

  it('serves "Welcome to nginx!" on a published port', async () => {
    let body = '';
    for (let attempt = 0; attempt < 50 && !body; attempt++) {
      body = await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.text(),
        () => '',
      );
      if (!body) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(body, /<h1>Welcome to nginx!<\/h1>/);
  });

  it('is found as the container holding its published port', async () => {
    const name = await docker(['container', 'inspect', '--format', '{{.Name}}', container]);
    assert.equal(await containerOnPort(port), name.replace(/^\//, ''));
  });

  it('logs requests to the container output', async () => {
    await fetch(`http://127.0.0.1:${port}/logged`).then((r) => r.text());
    const logs = await docker(['logs', container]);
    assert.match(logs, /"GET \/logged HTTP\/1\.1" 404/);
  });

  it('has the official default.conf, and bash for docker exec -it', async () => {
    const conf = await docker(['exec', container, 'cat', '/etc/nginx/conf.d/default.conf']);
    assert.match(conf, /listen\s+80;\n\s+server_name\s+localhost;/);
    assert.match(conf, /root\s+\/usr\/share\/nginx\/html;\n\s+index\s+index\.html index\.htm;/);
    assert.match(conf, /error_page\s+500 502 503 504\s+\/50x\.html;/);
    assert.equal(await docker(['exec', container, '/bin/bash', '-c', 'echo "$0"']), '/bin/bash');
  });

  it('starts nginx in the foreground and exposes port 80, like the official image', async () => {
    const config = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .Config}}', IMAGE])) as {
      Cmd: string[];
      ExposedPorts: object;
    };
    assert.deepEqual(config.Cmd, ['nginx', '-g', 'daemon off;']);
    assert.deepEqual(Object.keys(config.ExposedPorts), ['80/tcp']);
  });
});
