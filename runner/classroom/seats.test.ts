import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planSeats } from './seats.ts';

const base = { workspaceRoot: '/ws', labPorts: [80, 8000], labPortBase: 20000, runnerPort: 4321 };

describe('planSeats', () => {
  it('gives each learner a token, workspace, lab, runner port and lab ports of their own', () => {
    const seats = planSeats({ ...base, seats: 3 });
    assert.deepEqual(
      seats.map((s) => [s.id, s.workspace, s.labName, s.runnerPort, s.hostPorts]),
      [
        ['learner-1', '/ws/learner-1', 'myserver01-learner-1', 4322, { 80: 20010, 8000: 20011 }],
        ['learner-2', '/ws/learner-2', 'myserver01-learner-2', 4323, { 80: 20020, 8000: 20021 }],
        ['learner-3', '/ws/learner-3', 'myserver01-learner-3', 4324, { 80: 20030, 8000: 20031 }],
      ],
    );
    assert.equal(new Set(seats.map((s) => s.token)).size, 3);
    assert.ok(seats.every((s) => /^[0-9a-f]{48}$/.test(s.token)));
  });

  it('lets the OS pick runner ports with --port 0', () => {
    assert.ok(planSeats({ ...base, seats: 2, runnerPort: 0 }).every((s) => s.runnerPort === 0));
  });

  it('refuses a seat count or port base that does not fit, saying which', () => {
    assert.throws(() => planSeats({ ...base, seats: 0 }), /--classroom 0: expected a number of learners from 1/);
    assert.throws(
      () => planSeats({ ...base, seats: 2, labPortBase: 65520 }),
      /--lab-port-base 65520: learners. ports would run to 65549/,
    );
  });
});
