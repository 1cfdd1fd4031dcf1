/** The page may stop the tutorial's containers, never the learner's own. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { RunnerState } from '../../contract/protocol.ts';
import { startRunner, type Runner } from '../runner/harness.ts';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const running = (name: string) => docker('container', 'inspect', '--format', '{{.State.Running}}', name) === 'true';

describe('containers in the services list', () => {
  let runner: Runner;
  const mine = `learners-own-${process.pid}`;
  const tutorials = `tutorials-${process.pid}`;

  before(async () => {
    docker('run', '-d', '--name', mine, 'python:3.13', 'sleep', '300');
    docker('run', '-d', '--name', tutorials, '--label', 'runnable-tutorial=true', '-p', '48125:80', 'nginx:latest');
    runner = await startRunner();
  });
  after(async () => {
    await runner.stop();
    docker('rm', '-f', mine, tutorials);
  });

  it("lists the tutorial's running containers with their host ports, and not the learner's", async () => {
    const { containers } = (await (await runner.api('/api/state')).json()) as RunnerState;
    assert.deepEqual(
      containers.filter((c) => c.name === tutorials).map((c) => [c.image, c.hostPorts]),
      [['nginx:latest', [48125]]],
    );
    assert.equal(
      containers.some((c) => c.name === mine),
      false,
    );
  });

  it("refuses to stop a container that is not the tutorial's", async () => {
    const response = await runner.api(`/api/containers/${mine}/stop`, { method: 'POST', json: {} });
    assert.equal(response.status, 404);
    assert.equal(running(mine), true);
  });

  it("stops one of the tutorial's containers", async () => {
    const response = await runner.api(`/api/containers/${tutorials}/stop`, { method: 'POST', json: {} });
    assert.equal(response.status, 202);
    assert.equal(running(tutorials), false);
  });
});
