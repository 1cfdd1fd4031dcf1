import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarkerSplitter } from './marker-splitter.ts';

function split(chunks: string[]) {
  let data = '';
  const reports: string[][] = [];
  const splitter = new MarkerSplitter(
    'abc',
    (d) => (data += d.toString('latin1')),
    (w) => reports.push(w),
  );
  for (const chunk of chunks) splitter.push(Buffer.from(chunk, 'latin1'));
  return { data, reports, flush: () => (splitter.flush(), data) };
}

describe('MarkerSplitter', () => {
  it('passes output through and takes reports out', () => {
    const { data, reports } = split(['hello\n\0abc end r1 0\nafter']);
    assert.equal(data, 'hello\nafter');
    assert.deepEqual(reports, [['end', 'r1', '0']]);
  });

  it('finds a report split anywhere across chunks, output without a newline before it', () => {
    const whole = 'no newline\0abc end r1 3\nnext';
    for (let cut = 1; cut < whole.length; cut++) {
      const { data, reports } = split([whole.slice(0, cut), whole.slice(cut)]);
      assert.equal(data, 'no newlinenext', `cut at ${cut}`);
      assert.deepEqual(reports, [['end', 'r1', '3']], `cut at ${cut}`);
    }
  });

  it('leaves NULs of the output alone, and holds back only a possible report start', () => {
    const first = split(['bin\0ary\0ab']);
    assert.equal(first.data, 'bin\0ary');
    assert.equal(first.flush(), 'bin\0ary\0ab');
    assert.deepEqual(split(['\0abd x\n']).data, '\0abd x\n'); // another nonce is output
  });
});
