import assert from 'node:assert/strict';
import { textOf } from '../../contract/messages.ts';
import { describe, it } from 'node:test';
import { debootstrapProgress } from './debootstrap.ts';

const packages = ['base-files', 'bash', 'python3'];
const run = [
  'I: Retrieving InRelease ',
  'I: Retrieving Packages ',
  'I: Validating Packages ',
  'I: Resolving dependencies of required packages...',
  ...packages.flatMap((name) => [`I: Retrieving ${name} 1.0`, `I: Validating ${name} 1.0`]),
  'I: Extracting base-files...',
  'I: Extracting bash...',
  'I: Installing core packages...',
  ...packages.map((name) => `I: Unpacking ${name}...`),
  ...packages.map((name) => `I: Configuring ${name}...`),
  'I: Base system installed successfully.',
];

describe('debootstrap progress', () => {
  it('ignores lines that are not about a package', () => {
    const track = debootstrapProgress(10);
    assert.equal(track('I: Resolving dependencies of base packages...'), undefined);
    assert.equal(track('I: Retrieving Packages ')?.done, 0);
  });

  it('guesses the total while fetching, then knows it', () => {
    const track = debootstrapProgress(10);
    const seen = run.map(track).filter((p) => p !== undefined);
    assert.equal(seen.find((p) => textOf(p.message) === 'retrieving bash')?.total, 40);
    assert.equal(seen.find((p) => textOf(p.message) === 'extracting base-files')?.total, 12);
  });

  it('only moves forward and stays below the total until debootstrap is done', () => {
    const track = debootstrapProgress(3);
    const seen = run.map(track).filter((p) => p !== undefined);
    const last = seen.at(-1)!;
    assert.equal(textOf(last.message), 'configuring python3');
    assert.equal(last.done, last.total - 1);
    for (let i = 1; i < seen.length; i++)
      assert.ok(seen[i]!.done / seen[i]!.total >= seen[i - 1]!.done / seen[i - 1]!.total - 1e-9);
  });
});
