import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AttributeSyntaxError, hasAttributeBlock, parseAttributeBlock } from './fence-attributes.ts';

describe('fence attribute block', () => {
  it('reads bare, quoted and flag attributes in order', () => {
    assert.deepEqual(parseAttributeBlock('{id=run-it cwd="ch05/my dir" background}'), [
      { key: 'id', value: 'run-it' },
      { key: 'cwd', value: 'ch05/my dir' },
      { key: 'background', value: true },
    ]);
  });

  it('unescapes \\" and \\\\ inside quotes', () => {
    assert.deepEqual(parseAttributeBlock('{find="say \\"hi\\" \\\\o/"}'), [{ key: 'find', value: 'say "hi" \\o/' }]);
  });

  it('keeps "=" and braces inside a quoted value', () => {
    assert.deepEqual(parseAttributeBlock('{find="ALLOWED_HOSTS = []"}'), [
      { key: 'find', value: 'ALLOWED_HOSTS = []' },
    ]);
  });

  it('knows a fence with braces is meant as a step', () => {
    assert.equal(hasAttributeBlock(' {id=x}'), true);
    assert.equal(hasAttributeBlock('title="x"'), false);
    assert.equal(hasAttributeBlock(undefined), false);
  });

  const refused: [string, RegExp][] = [
    ['id=x', /one pair of braces/],
    ['{id=x', /one pair of braces/],
    ['{id=x id=y}', /given twice/],
    ['{Id=x}', /not a valid attribute name/],
    ['{id=}', /no value/],
    ['{find="open}', /never closed/],
    ['{find="a"b}', /space after the closing quote/],
    ['{id=a"b}', /quote inside a bare value/],
  ];
  for (const [meta, message] of refused) {
    it(`refuses ${meta}`, () => {
      assert.throws(
        () => parseAttributeBlock(meta),
        (e: unknown) => e instanceof AttributeSyntaxError && message.test((e as Error).message),
      );
    });
  }
});
