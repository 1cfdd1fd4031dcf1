/** The docker CLI wrapper and the engine check, against the real engine (and a missing one). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineStatus } from '../../runner/engine/engine-status.ts';
import { docker, DockerCommandError, isNoSuchObject } from '../../runner/engine/engine.ts';

describe('docker CLI wrapper', () => {
  it('resolves to stdout without the final newline', async () => {
    assert.match(await docker(['version', '--format', '{{.Server.Version}}']), /^\d+\.\d+\.\d+\S*$/);
  });

  it('rejects with the command, exit code and stderr', async () => {
    const error = await docker(['image', 'inspect', 'runnable-tutorial-test/no-such-image:none']).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof DockerCommandError);
    assert.equal(error.command, 'docker image inspect runnable-tutorial-test/no-such-image:none');
    assert.equal(error.exitCode, 1);
    assert.match(error.stderr, /no such image/i);
    assert.match(error.message, /^docker image inspect .* exited with code 1:\n {2}/);
    assert.ok(isNoSuchObject(error));
  });

  it('rejects as cancelled when the signal is aborted', async () => {
    // `docker events` streams until stopped, and creates nothing that would need cleaning up.
    const error = await docker(['events'], { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    assert.ok(error instanceof DockerCommandError);
    assert.equal(error.kind, 'cancelled');
  });
});

describe('engine status', () => {
  it('reports the versions of a running engine', async () => {
    const status = await engineStatus();
    assert.ok(status.ok, JSON.stringify(status));
    assert.match(status.serverVersion, /^\d+\./);
    assert.match(status.apiVersion, /^1\.\d+$/);
  });

  it('says the engine is not running, and how to start it, when nothing listens', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///tmp/runnable-tutorial-no-engine.sock';
    try {
      const status = await engineStatus();
      assert.equal(status.ok, false);
      assert.match((status as { message: string }).message, /not running.*sudo systemctl start docker/s);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});
