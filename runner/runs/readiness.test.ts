import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { serviceUrl, waitUntilReady } from './readiness.ts';

describe('serviceUrl', () => {
  it("is on 127.0.0.1 unless the target publishes on a remote engine's host", () => {
    assert.equal(serviceUrl(8000), 'http://127.0.0.1:8000/');
    assert.equal(serviceUrl(18000, '/admin/', '10.0.0.5'), 'http://10.0.0.5:18000/admin/');
    assert.equal(serviceUrl(80, '/', '2001:db8::5'), 'http://[2001:db8::5]:80/');
  });
});

describe('waitUntilReady', () => {
  it('probes the host it is given, not always loopback', async () => {
    // A server on this machine's 127.0.0.2 only: answers there, and not on 127.0.0.1.
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      assert.equal(await waitUntilReady(port, undefined, AbortSignal.timeout(2000), '127.0.0.2'), true);
      assert.equal(await waitUntilReady(port, undefined, AbortSignal.timeout(700)), false);
    } finally {
      server.close();
    }
  });
});
