import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineLocation, parseWorkspacePlacement, planLab } from './engine-location.ts';

describe('engineLocation', () => {
  it('takes a unix socket, a named pipe or nothing as this machine', () => {
    for (const endpoint of [undefined, '', 'unix:///var/run/docker.sock', 'npipe:////./pipe/docker_engine']) {
      const location = engineLocation(endpoint);
      assert.equal(location.remote, false, String(endpoint));
      assert.equal(location.portHost, '127.0.0.1');
    }
    assert.equal(engineLocation('unix:///Users/me/.docker/run/docker.sock').remote, false); // Docker Desktop's context
  });

  it('takes tcp:// and ssh:// as elsewhere, with the host their ports answer on', () => {
    assert.deepEqual(engineLocation('tcp://10.0.0.5:2376'), {
      endpoint: 'tcp://10.0.0.5:2376',
      remote: true,
      portHost: '10.0.0.5',
    });
    assert.equal(engineLocation('ssh://learner@lab.example.org').portHost, 'lab.example.org');
    assert.equal(engineLocation('tcp://[2001:db8::5]:2375').portHost, '2001:db8::5');
  });

  it('keeps 127.0.0.1 for an engine on loopback tcp, which is still treated as not sharing the disk', () => {
    for (const endpoint of ['tcp://127.0.0.1:23750', 'tcp://localhost:2375', 'tcp://[::1]:2375']) {
      const location = engineLocation(endpoint);
      assert.equal(location.remote, true, endpoint);
      assert.equal(location.portHost, '127.0.0.1', endpoint);
    }
  });

  it('says what is wrong with an endpoint it cannot use', () => {
    assert.throws(() => engineLocation('not a url'), /"not a url" is not a URL/);
    assert.throws(() => engineLocation('ftp://x'), /ftp: is not an engine address/);
  });
});

describe('planLab', () => {
  const local = engineLocation('unix:///var/run/docker.sock');
  const remote = engineLocation('tcp://10.0.0.5:2376');

  it('binds the workspace on a local engine, keeping the lab asked for (isolated by default)', () => {
    assert.deepEqual(
      [planLab(local, {}).placement, planLab(local, {}).mode, planLab(local, { mode: 'shared' }).mode],
      ['bind', 'isolated', 'shared'],
    );
    assert.match(planLab(local, {}).said, /bind-mounted .*on this machine/);
  });

  it('puts the workspace in a volume on a remote engine, with the isolated lab, and says so', () => {
    const plan = planLab(remote, {});
    assert.equal(plan.placement, 'volume');
    assert.equal(plan.mode, 'isolated');
    assert.match(plan.said, /Docker volume .*tcp:\/\/10\.0\.0\.5:2376 is not on this machine.*answer on 10\.0\.0\.5/);
  });

  it('follows --workspace-in both ways', () => {
    assert.equal(planLab(local, { placement: 'volume' }).placement, 'volume');
    assert.match(planLab(local, { placement: 'volume' }).said, /as --workspace-in volume asks/);
    assert.equal(planLab(remote, { placement: 'bind', mode: 'isolated' }).placement, 'bind');
  });

  it('refuses the shared lab on a remote engine, saying why and what to use', () => {
    assert.throws(
      () => planLab(remote, { mode: 'shared' }),
      /--lab shared cannot use the engine at tcp:\/\/10\.0\.0\.5:2376, which is on another machine: .*--network host.*Use --lab isolated/,
    );
    assert.throws(() => planLab(remote, { mode: 'shared', placement: 'bind' }), /--lab shared cannot use/);
    assert.throws(() => planLab(local, { mode: 'shared', placement: 'volume' }), /with the workspace in a volume/);
  });
});

describe('parseWorkspacePlacement', () => {
  it('reads bind, volume or nothing, and names the origin of anything else', () => {
    assert.equal(parseWorkspacePlacement(undefined, '--workspace-in'), undefined);
    assert.equal(parseWorkspacePlacement(' volume ', '--workspace-in'), 'volume');
    assert.throws(() => parseWorkspacePlacement('nfs', '--workspace-in'), /--workspace-in: "nfs" is unknown; use bind/);
  });
});
