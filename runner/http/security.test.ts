/** The Origin rule for `npm run dev`, where the pages come from another server than the runner. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOrigin, type SecurityPolicy } from './security.ts';

const own: SecurityPolicy = { token: 't', port: 4321, allowRemote: false };
const dev: SecurityPolicy = { token: 't', port: 40123, allowRemote: false, pageOrigin: 'http://127.0.0.1:4321' };

describe('checkOrigin', () => {
  it("allows the runner's own origin when it serves the pages", () => {
    assert.equal(checkOrigin('http://127.0.0.1:4321', '127.0.0.1:4321', own), undefined);
    assert.equal(checkOrigin('http://localhost:4321', '127.0.0.1:4321', own), undefined);
  });

  it("in dev mode allows exactly the dev server's origin", () => {
    assert.equal(checkOrigin('http://127.0.0.1:4321', '127.0.0.1:40123', dev), undefined);
  });

  it("in dev mode refuses the runner's own origin, other names and other ports", () => {
    for (const origin of [
      'http://127.0.0.1:40123',
      'http://localhost:4321',
      'http://127.0.0.1:4322',
      'https://127.0.0.1:4321',
      'http://evil.example',
      'null',
    ]) {
      const refusal = checkOrigin(origin, '127.0.0.1:40123', dev);
      assert.equal(refusal?.status, 403, origin);
      assert.match(refusal!.hint!, /http:\/\/127\.0\.0\.1:4321\//);
    }
  });

  it('lets requests without an Origin through to the token check, as before', () => {
    assert.equal(checkOrigin(undefined, '127.0.0.1:40123', dev), undefined);
  });
});
