import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labEngineAccess } from './engine-access.ts';

describe('how the lab reaches the engine', () => {
  it('mounts the default socket when DOCKER_HOST is unset', () => {
    assert.deepEqual(labEngineAccess(''), { runArgs: ['-v', '/var/run/docker.sock:/var/run/docker.sock'], env: {} });
  });

  it('mounts a unix socket from DOCKER_HOST at the default path inside', () => {
    assert.deepEqual(labEngineAccess('unix:///run/user/1000/docker.sock').runArgs, [
      '-v',
      '/run/user/1000/docker.sock:/var/run/docker.sock',
    ]);
  });

  it('passes a tcp engine on to the lab and its sessions', () => {
    assert.deepEqual(labEngineAccess('tcp://127.0.0.1:2375'), {
      runArgs: ['-e', 'DOCKER_HOST=tcp://127.0.0.1:2375'],
      env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' },
    });
  });

  it('refuses an ssh engine, saying what works', () => {
    assert.throws(() => labEngineAccess('ssh://me@box'), /unix socket .* or tcp:\/\//);
  });
});
