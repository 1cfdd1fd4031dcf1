import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutputLog } from './output-log.ts';

const texts = (chunks: { text: string }[]) => chunks.map((c) => c.text);

describe('output log', () => {
  it('keeps and forwards output up to the cap', () => {
    const log = new OutputLog({ cap: 10 });
    assert.deepEqual(texts(log.append('stdout', 'hello ')), ['hello ']);
    assert.deepEqual(texts(log.append('stderr', 'you')), ['you']);
    assert.equal(log.text(), 'hello you');
    assert.equal(log.finish(), null);
  });

  it('past the cap, says so once, forwards nothing more and shows the last lines at the end', () => {
    const log = new OutputLog({ cap: 10 });
    log.append('stdout', '0123456789');
    const atCap = log.append('stdout', 'line one\n');
    assert.equal(atCap.length, 1);
    assert.match(atCap[0]!.text, /output capped at 10 B/);
    assert.deepEqual(log.append('stdout', 'line two\nlast line\n'), []);
    const end = log.finish()!;
    assert.match(end.text, /28 B of output not shown; it ended with:\]\nline two\nlast line\n$/);
  });

  it("keeps forwarding a service's log past the cap, while the replay stops growing", () => {
    const log = new OutputLog({ cap: 10, live: true });
    log.append('stdout', '0123456789');
    const atCap = log.append('stdout', 'GET / 200\n');
    assert.equal(atCap.length, 2);
    assert.match(atCap[0]!.text, /shown live only/);
    assert.equal(atCap[1]!.text, 'GET / 200\n');
    assert.deepEqual(texts(log.append('stdout', 'GET /x 404\n')), ['GET /x 404\n']);
    assert.equal(log.chunks.length, 2, 'the replay holds the first 10 bytes and the notice');
    assert.equal(log.finish(), null, 'the page saw the whole log live');
  });
});
