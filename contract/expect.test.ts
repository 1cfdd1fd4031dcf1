import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOutput } from './expect.ts';

const expected = (match: 'exact' | 'contains' | 'regex' | 'none', text: string) => ({ match, text, line: 1 });

describe('expected output', () => {
  it('contains: every expected line in order, trimmed, colours ignored', () => {
    const out = 'Collecting x\n\u001b[32m  Successfully installed x-1.0\u001b[0m\nDone\n';
    assert.deepEqual(checkOutput(expected('contains', 'Collecting\nSuccessfully installed'), out), { ok: true });
  });

  it('contains: a missing or out-of-order line is a mismatch naming the line', () => {
    const result = checkOutput(expected('contains', 'Done\nCollecting'), 'Collecting\nDone\n');
    assert.equal(result.ok, false);
    assert.match((result as { diff: string }).diff, /missing line: "Collecting"/);
  });

  it('exact: ignores trailing spaces, CRLF and blank edges', () => {
    assert.deepEqual(checkOutput(expected('exact', 'a\nb'), '\r\na  \r\nb\r\n\r\n'), { ok: true });
  });

  it('exact: reports the first differing line', () => {
    const result = checkOutput(expected('exact', 'a\nb\nc'), 'a\nB\nc');
    assert.equal(result.ok, false);
    assert.match((result as { diff: string }).diff, /line 2:[\s\S]*- b\n {2}\+ B/);
  });

  it('regex: matches across lines', () => {
    assert.deepEqual(checkOutput(expected('regex', '^Django \\d+\\.\\d+'), 'x\nDjango 4.2.23\n'), { ok: true });
    assert.equal(checkOutput(expected('regex', '^Django 5'), 'Django 4.2').ok, false);
  });

  it('none: never fails', () => {
    assert.deepEqual(checkOutput(expected('none', 'anything'), 'else'), { ok: true });
  });
});
