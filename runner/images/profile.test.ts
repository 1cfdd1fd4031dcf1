import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
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
  it('counts an accepted connection as an answer', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      assert.equal(await probeRegistry(2000, { host: '127.0.0.1', port }), true);
    } finally {
      server.close();
    }
  });

  it('counts a refused connection as no answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    assert.equal(await probeRegistry(2000, { host: '127.0.0.1', port }), false);
  });

  it('counts a name that does not resolve as no answer', async () => {
    assert.equal(await probeRegistry(2000, { host: 'registry.invalid', port: 443 }), false);
  });
});
