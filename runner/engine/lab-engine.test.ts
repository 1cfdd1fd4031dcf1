import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listeningPorts } from './lab-engine.ts';

describe('listeningPorts', () => {
  it('lists LISTEN sockets of /proc/net/tcp and tcp6, not connections', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
      '   1: 0100007F:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1',
      '   2: 0200A8C0:0050 0100A8C0:D431 01 00000000:00000000 00:00000000 00000000     0        0 3 1',
      '   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 4 1',
    ].join('\n');
    assert.deepEqual(
      [...listeningPorts(text)].sort((a, b) => a - b),
      [80, 5001, 8000],
    );
  });

  it('finds nothing in an empty table', () => {
    assert.equal(listeningPorts('  sl  local_address rem_address   st\n').size, 0);
  });
});
