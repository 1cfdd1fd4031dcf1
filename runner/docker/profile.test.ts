import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chooseProfile, probeRegistry } from './profile.ts';

describe('choosing the profile', () => {
  it('is online when the registry answers', () => {
    assert.equal(chooseProfile({ registryAnswers: true }).profile, 'online');
  });

  it('is offline when it does not, and says why', () => {
    const choice = chooseProfile({ registryAnswers: false });
    assert.equal(choice.profile, 'offline');
    assert.match(choice.reason, /did not answer/);
  });

  it('follows an override whatever the registry says', () => {
    assert.equal(chooseProfile({ override: 'offline', registryAnswers: true }).profile, 'offline');
    assert.equal(chooseProfile({ override: 'online', registryAnswers: false }).profile, 'online');
  });

  it('treats an empty override as none', () => {
    assert.equal(chooseProfile({ override: ' ', registryAnswers: true }).profile, 'online');
  });

  it('rejects an unknown override, naming the values that work', () => {
    assert.throws(() => chooseProfile({ override: 'airplane' }), /Unknown profile "airplane".*online or offline/);
  });
});

describe('probing a registry', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((request, response) => {
      if (request.url === '/silent/') return; // never answers: the probe must time out
      response.writeHead(401, { 'www-authenticate': 'Bearer realm="x"' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('counts a 401 as an answer', async () => {
    assert.equal(await probeRegistry(2000, `${base}/v2/`), true);
  });

  it('counts a refused connection as no answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    assert.equal(await probeRegistry(2000, `http://127.0.0.1:${port}/v2/`), false);
  });

  it('counts silence past the timeout as no answer', async () => {
    const started = Date.now();
    assert.equal(await probeRegistry(300, `${base}/silent/`), false);
    assert.ok(Date.now() - started < 2000);
  });
});
