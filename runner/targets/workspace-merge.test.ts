import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderForApply, planMerge, type Tree } from './workspace-merge.ts';

const tree = (entries: Record<string, string>): Tree => new Map(Object.entries(entries));

describe('planMerge (the three-way rule of a remote lab workspace)', () => {
  it('sends a change made on one side only to the other, deletions included', () => {
    const base = tree({ a: 'f:644:1', b: 'f:644:1', gone: 'f:644:1' });
    const local = tree({ a: 'f:644:2', b: 'f:644:1', 'new-here': 'f:644:9' });
    const lab = tree({ a: 'f:644:1', b: 'f:644:3', gone: 'f:644:1', 'new-there': 'd' });
    const plan = planMerge(local, lab, base);
    assert.deepEqual(plan.actions, [
      { path: 'a', to: 'lab', sig: 'f:644:2' },
      { path: 'b', to: 'runner', sig: 'f:644:3' },
      { path: 'gone', to: 'lab', sig: undefined },
      { path: 'new-here', to: 'lab', sig: 'f:644:9' },
      { path: 'new-there', to: 'runner', sig: 'd' },
    ]);
    assert.deepEqual(plan.base, tree({ a: 'f:644:2', b: 'f:644:3', 'new-here': 'f:644:9', 'new-there': 'd' }));
  });

  it('does nothing where both sides agree, even without a base (a runner restart)', () => {
    const both = tree({ a: 'f:644:1', dir: 'd' });
    assert.deepEqual(planMerge(both, both, new Map()).actions, []);
  });

  it('never lets a pull clobber a file the runner wrote since the last sync: both versions are kept', () => {
    const plan = planMerge(tree({ app: 'f:644:mine' }), tree({ app: 'f:644:lab' }), tree({ app: 'f:644:old' }));
    assert.deepEqual(plan.actions, [{ path: 'app', to: 'conflict', local: 'f:644:mine', lab: 'f:644:lab' }]);
    assert.equal(plan.base.get('app'), 'f:644:mine');
  });

  it('lets a change win over a deletion on the other side', () => {
    const base = tree({ a: 'f:644:1', b: 'f:644:1' });
    const plan = planMerge(tree({ b: 'f:644:2' }), tree({ a: 'f:644:3' }), base);
    assert.deepEqual(plan.actions, [
      { path: 'a', to: 'runner', sig: 'f:644:3' },
      { path: 'b', to: 'lab', sig: 'f:644:2' },
    ]);
  });

  it('with no base, a file only one side has is copied, never deleted (a new volume starts from the runner)', () => {
    const plan = planMerge(tree({ 'home/.bashrc': 'f:644:1', home: 'd' }), new Map(), new Map());
    assert.deepEqual(
      plan.actions.map((a) => [a.path, a.to]),
      [
        ['home', 'lab'],
        ['home/.bashrc', 'lab'],
      ],
    );
  });
});

describe('orderForApply', () => {
  it('removes deepest first, then makes folders before what they hold', () => {
    const ordered = orderForApply([
      { path: 'x/y/z', sig: 'f:644:1' },
      { path: 'x', sig: 'd' },
      { path: 'old/inner/file', sig: undefined },
      { path: 'old', sig: undefined },
      { path: 'x/y', sig: 'd' },
    ]);
    assert.deepEqual(
      ordered.map((a) => a.path),
      ['old/inner/file', 'old', 'x', 'x/y', 'x/y/z'],
    );
  });
});
