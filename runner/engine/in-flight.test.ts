import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InFlight } from './in-flight.ts';

describe('InFlight', () => {
  it('runs one piece of work per key for concurrent callers, and tells each of them its progress', async () => {
    const inFlight = new InFlight<string>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const heard: string[][] = [[], []];
    const work = async (progress: (m: string) => void) => {
      runs += 1;
      await gate;
      progress('half');
      return 'done';
    };
    const first = inFlight.run('python:3.13', (m) => heard[0]!.push(m), work);
    const second = inFlight.run('python:3.13', (m) => heard[1]!.push(m), work);
    release();
    assert.deepEqual(await Promise.all([first, second]), ['done', 'done']);
    assert.equal(runs, 1);
    assert.deepEqual(heard, [['half'], ['half']]);
  });

  it('starts afresh once the work has ended, and keeps keys apart', async () => {
    const inFlight = new InFlight<number>();
    let runs = 0;
    const work = async () => ++runs;
    assert.equal(await inFlight.run('a', () => {}, work), 1);
    assert.equal(await inFlight.run('a', () => {}, work), 2);
    assert.deepEqual(await Promise.all([inFlight.run('a', () => {}, work), inFlight.run('b', () => {}, work)]), [3, 4]);
  });
});
