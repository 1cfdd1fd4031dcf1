import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openHref, serviceAddress } from './texts.ts';

describe('serviceAddress', () => {
  it("is on 127.0.0.1, or on a remote engine's host when the runner names one (TargetInfo.portHost)", () => {
    assert.equal(serviceAddress(8000), 'http://127.0.0.1:8000/');
    assert.equal(serviceAddress(18000, 'admin/', '10.0.0.5'), 'http://10.0.0.5:18000/admin/');
    assert.equal(serviceAddress(80, '/', '2001:db8::5'), 'http://[2001:db8::5]:80/');
    assert.equal(
      openHref(serviceAddress(80, '/', 'lab.example.org'), 'abcdef123'),
      'http://lab.example.org/?run=abcdef12',
    );
  });
});
