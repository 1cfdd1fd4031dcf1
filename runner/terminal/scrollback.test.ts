import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Scrollback } from './scrollback.ts';

test('keeps everything while under the limit, in order', () => {
  const s = new Scrollback(100);
  s.push(Buffer.from('one\n'));
  s.push(Buffer.from(''));
  s.push(Buffer.from('two\n'));
  assert.equal(s.contents().toString(), 'one\ntwo\n');
});

test('past the limit keeps the newest bytes, from the start of a line', () => {
  const s = new Scrollback(20);
  for (let i = 0; i < 10; i++) s.push(Buffer.from(`line ${i}\n`));
  const text = s.contents().toString();
  assert.ok(text.length <= 20, text);
  assert.ok(text.endsWith('line 9\n'), text);
  assert.match(text, /^line \d\n/, 'begins at a line start, not mid-line');
});

test('output without newlines is cut at the limit, never grows past it', () => {
  const s = new Scrollback(10);
  s.push(Buffer.alloc(25, 'x'));
  s.push(Buffer.from('yz'));
  assert.equal(s.contents().toString(), 'xxxxxxxxyz');
});
