import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainEngineFailure } from './engine-status.ts';

const failure = (stderr: string, kind: 'failed' | 'not-installed' = 'failed') => ({
  kind,
  stderr,
  message: 'docker version failed',
});

describe('why Docker does not answer', () => {
  it('no CLI: install Docker Desktop or docker.io', () => {
    assert.match(explainEngineFailure(failure('', 'not-installed')), /not installed.*Docker Desktop.*docker\.io/);
  });

  it('daemon down: how to start it', () => {
    const text = explainEngineFailure(
      failure('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'),
    );
    assert.match(text, /not running \(Cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker\.sock/);
    assert.match(text, /sudo systemctl start docker.*sudo dockerd &/);
  });

  it('socket permission: join the docker group', () => {
    const text = explainEngineFailure(
      failure(
        'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/version": dial unix /var/run/docker.sock: connect: permission denied',
      ),
    );
    assert.match(text, /permission denied on its socket.*usermod -aG docker \$USER/);
  });

  it('anything else: the first line of what docker said', () => {
    assert.match(
      explainEngineFailure(failure('error during connect: weird\nmore')),
      /^Docker does not answer: error during connect: weird\. /,
    );
  });
});
