import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  explainRunFailure,
  LAB_ENGINE_VOLUME,
  LAB_MIRROR_VOLUME,
  LAB_MODE_LABEL,
  labPorts,
  labRunArgs,
  parseLabMode,
  parsePortMap,
  staleReason,
  type LabSpec,
  type LabState,
  workspaceVolume,
} from './lab-container.ts';
import { LAB_ENGINE_IMAGE, LAB_IMAGE } from '../images/recipes.ts';

const isolated: LabSpec = { mode: 'isolated', workspace: '/w', ports: [80, 8000], mirror: true };
const shared: LabSpec = {
  mode: 'shared',
  workspace: '/w',
  ports: [80, 8000],
  engineAccess: ['-v', '/s:/s'],
  mirror: false,
};

describe('labRunArgs', () => {
  it('isolated: own engine volume, published loopback ports, the store read-only, no host network or socket', () => {
    const args = labRunArgs(isolated);
    const joined = args.join(' ');
    assert.match(joined, /-p 127\.0\.0\.1:80:80 -p 127\.0\.0\.1:8000:8000/);
    assert.ok(joined.includes(`-v ${LAB_ENGINE_VOLUME}:/var/lib/docker`));
    assert.ok(joined.includes(`-v ${LAB_MIRROR_VOLUME}:/var/lib/lab-mirror:ro`));
    assert.ok(joined.includes('--cap-drop=SYS_RESOURCE'));
    assert.ok(!args.includes('--privileged'));
    assert.ok(!args.includes('--network'));
    assert.ok(!joined.includes('docker.sock'));
    assert.deepEqual(args.slice(-3), [LAB_ENGINE_IMAGE, 'sleep', 'infinity']);
    assert.ok(joined.includes(`--label ${LAB_MODE_LABEL}=isolated`));
  });

  it('isolated without a store yet mounts none', () => {
    assert.ok(
      !labRunArgs({ ...isolated, mirror: false })
        .join(' ')
        .includes(LAB_MIRROR_VOLUME),
    );
  });

  it("shared: the host's network and engine, none of the nested-engine flags", () => {
    const args = labRunArgs(shared);
    assert.deepEqual(args.slice(args.indexOf('--network'), args.indexOf('--network') + 4), [
      '--network',
      'host',
      '-v',
      '/s:/s',
    ]);
    assert.ok(!args.some((a) => a.startsWith('--cap-add') || a.startsWith('-p')));
    assert.deepEqual(args.slice(-3), [LAB_IMAGE, 'sleep', 'infinity']);
  });
});

describe('staleReason', () => {
  const state = (over: Partial<LabState> = {}): LabState => ({
    running: true,
    imageId: 'sha256:a',
    labels: { [LAB_MODE_LABEL]: 'isolated' },
    mounts: [
      { Source: '/w', Destination: '/w' },
      { Source: '/var/lib/docker/volumes/x', Destination: '/var/lib/lab-mirror' },
    ],
    init: true,
    ports: {
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '80' }],
      '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '8000' }],
    },
    ...over,
  });

  it('reuses a lab made for the same spec', () => {
    assert.equal(staleReason(state(), 'sha256:a', isolated), undefined);
  });

  it('recreates on a change of mode, image, workspace, ports or store', () => {
    assert.match(staleReason(state({ labels: {} }), 'sha256:a', isolated) ?? '', /shared lab and a isolated one/);
    assert.match(staleReason(state(), 'sha256:b', isolated) ?? '', /older lab image/);
    assert.match(staleReason(state(), 'sha256:a', { ...isolated, workspace: '/v' }) ?? '', /workspace \/v/);
    assert.match(
      staleReason(state(), 'sha256:a', { ...isolated, ports: [80, 5000, 8000] }) ?? '',
      /ports 80:80, 8000:8000, not 80:80, 5000:5000, 8000:8000/,
    );
    assert.match(
      staleReason(state({ mounts: [{ Source: '/w', Destination: '/w' }] }), 'sha256:a', isolated) ?? '',
      /image store/,
    );
  });
});

describe('a lab on a remote engine', () => {
  const remote: LabSpec = { ...isolated, workspaceVolume: workspaceVolume('lab-x'), publishOn: '0.0.0.0' };

  it("mounts its own workspace volume at the workspace path, never the runner's folder", () => {
    const joined = labRunArgs(remote).join(' ');
    assert.ok(joined.includes('-v runnable-tutorial-lab-x-workspace:/w'), joined);
    assert.ok(!joined.includes('-v /w:/w'), joined);
    assert.match(joined, /-p 0\.0\.0\.0:80:80 -p 0\.0\.0\.0:8000:8000/);
  });

  it('is recreated when it bind-mounts the folder instead of the volume, and the other way round', () => {
    const base = {
      running: true,
      imageId: 'sha256:a',
      labels: { [LAB_MODE_LABEL]: 'isolated' },
      init: true,
      ports: {
        '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '80' }],
        '8000/tcp': [{ HostIp: '0.0.0.0', HostPort: '8000' }],
      },
    };
    const store = { Source: '/x', Destination: '/var/lib/lab-mirror' };
    const bound: LabState = { ...base, mounts: [{ Source: '/w', Destination: '/w' }, store] };
    const inVolume: LabState = {
      ...base,
      mounts: [{ Source: '/var/lib/docker/volumes/v/_data', Destination: '/w', Name: remote.workspaceVolume }, store],
    };
    assert.match(
      staleReason(bound, 'sha256:a', remote) ?? '',
      /workspace volume runnable-tutorial-lab-x-workspace at \/w/,
    );
    assert.equal(staleReason(inVolume, 'sha256:a', remote), undefined);
    assert.match(staleReason(inVolume, 'sha256:a', isolated) ?? '', /does not mount the workspace \/w/);
  });
});

describe('labPorts', () => {
  it("is 80 and 8000 plus every step's port, once each, in order", () => {
    assert.deepEqual(labPorts([undefined, 8000, 5000, 80, 5000]), [80, 5000, 8000]);
  });
});

describe('limits and network', () => {
  it('limit the whole lab and give it a network of its own', () => {
    const args = labRunArgs({ ...isolated, limits: { memory: '512m', cpus: 1.5, pids: 300 }, network: 'n1' }).join(' ');
    assert.match(args, /--memory 512m --memory-swap 512m --cpus 1\.5 --pids-limit 300 --network n1/);
    assert.ok(!labRunArgs(isolated).join(' ').includes('--memory'));
  });
});

describe('parsePortMap', () => {
  it('reads HOST:LAB pairs and says which one is wrong', () => {
    assert.deepEqual(parsePortMap('18000:8000,18080:80'), { 8000: 18000, 80: 18080 });
    assert.throws(() => parsePortMap('18000:8000,80'), /"80" is not HOST:LAB/);
    assert.throws(() => parsePortMap('70000:80'), /"70000:80"/);
  });
});

describe('parseLabMode', () => {
  it('defaults to isolated and refuses unknown modes, naming where the value came from', () => {
    assert.equal(parseLabMode(undefined, 'x'), 'isolated');
    assert.equal(parseLabMode('shared', 'x'), 'shared');
    assert.throws(() => parseLabMode('host', 'RUNNER_LAB'), /RUNNER_LAB: lab mode "host" is unknown/);
  });
});

describe('explainRunFailure', () => {
  it('names a taken port and what to do', () => {
    const stderr =
      'docker: Error response from daemon: driver failed programming external connectivity on endpoint myserver01: Error starting userland proxy: listen tcp4 127.0.0.1:8000: bind: address already in use.';
    assert.match(explainRunFailure(stderr, isolated) ?? '', /port 8000 is already in use/);
  });

  it('suggests the shared lab when the engine refuses the nested-engine flags', () => {
    assert.match(explainRunFailure('operation not permitted', isolated) ?? '', /--lab shared/);
    assert.equal(explainRunFailure('no such image', isolated), undefined);
  });
});
