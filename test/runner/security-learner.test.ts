/**
 * The learner's own hands over HTTP, against the real runner: edited code arrives only on its own
 * endpoint, behind the same token, Host and Origin checks, bounded, refusable with a flag, and
 * recorded as edited; the Files endpoints list and write only inside the workspace, follow no
 * symlink, refuse hard links, binary files and oversized text. Host target, no Docker, port 0.
 */
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transcript, WorkspaceFile, WorkspaceTree } from '../../contract/protocol.ts';
import { fixtureManifest, startRunner, type Runner } from './harness.ts';

const hashOf = (id: string) => fixtureManifest().manifest.steps.find((s) => s.id === id)!.hash;

/** Waits for a run to end and returns its transcript. */
async function transcriptAfter(runner: Runner, stepId: string, runId: string): Promise<Transcript> {
  for (let i = 0; i < 150; i++) {
    const response = await runner.api(`/api/steps/${stepId}/transcript`);
    if (response.status === 200) {
      const transcript = (await response.json()) as Transcript;
      if (transcript.runId === runId) return transcript;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} of ${stepId} did not end`);
}

describe('edited runs and workspace files over HTTP', () => {
  let runner: Runner;
  let outside: string;
  const ws = (...parts: string[]) => path.join(runner.workspace, ...parts);

  before(async () => {
    runner = await startRunner();
    outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
  });
  after(async () => {
    await runner.stop();
  });

  it('runs an edited step through its own endpoint and records the code as edited', async () => {
    const response = await runner.api('/api/runs/edited', {
      method: 'POST',
      json: { id: 'say-hello', hash: hashOf('say-hello'), code: 'echo edited by the learner' },
    });
    assert.equal(response.status, 202, await response.clone().text());
    const { runId } = (await response.json()) as { runId: string };
    const transcript = await transcriptAfter(runner, 'say-hello', runId);
    assert.equal(transcript.edited?.code, 'echo edited by the learner');
    assert.equal(transcript.state.edited, true);
    // The expected output is still the chapter's: the verdict says the step was edited.
    assert.equal(transcript.state.status, 'failed');
    assert.match(transcript.state.message ?? '', /this step was edited/);
    assert.match(transcript.output.map((c) => c.text).join(''), /edited by the learner/);
  });

  it('still takes no code on the shipped endpoint', async () => {
    const response = await runner.api('/api/runs', {
      method: 'POST',
      json: { id: 'say-hello', hash: hashOf('say-hello'), code: 'echo sneaked in' },
    });
    assert.equal(response.status, 400);
  });

  it('refuses edited code without the token, from a foreign Origin, or for a foreign Host', async () => {
    const body = JSON.stringify({ id: 'say-hello', hash: hashOf('say-hello'), code: 'echo x' });
    const headers = { 'content-type': 'application/json' };
    const noToken = await fetch(`${runner.url}/api/runs/edited`, { method: 'POST', headers, body });
    assert.equal(noToken.status, 401);
    const foreign = await runner.api('/api/runs/edited', {
      method: 'POST',
      headers: { ...headers, origin: 'http://evil.example' },
      body,
    });
    assert.equal(foreign.status, 403);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${runner.url}/api/runs/edited`,
        { method: 'POST', headers: { ...headers, host: 'evil.example', 'x-runner-token': runner.token } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(status, 403);
  });

  it('refuses oversized code, a stale hash, and kinds that cannot be edited, naming the step', async () => {
    const big = await runner.api('/api/runs/edited', {
      method: 'POST',
      json: { id: 'say-hello', hash: hashOf('say-hello'), code: 'x'.repeat(40_000) },
    });
    assert.equal(big.status, 413);
    const stale = await runner.api('/api/runs/edited', {
      method: 'POST',
      json: { id: 'say-hello', hash: 'old', code: 'echo x' },
    });
    assert.equal(stale.status, 409);
    const edit = await runner.api('/api/runs/edited', {
      method: 'POST',
      json: { id: 'append-notes', hash: hashOf('append-notes'), code: 'x' },
    });
    assert.equal(edit.status, 400);
    assert.match(((await edit.json()) as { error: string }).error, /append-notes/);
  });

  it('lists the workspace as `tree` does: no hidden entries, symlinks listed, not followed', async () => {
    mkdirSync(ws('site/config'), { recursive: true });
    writeFileSync(ws('site/config/settings.py'), 'DEBUG = True\n');
    symlinkSync(outside, ws('site/out'));
    const tree = (await (await runner.api('/api/files')).json()) as WorkspaceTree;
    const names = JSON.stringify(tree);
    assert.doesNotMatch(names, /\.runner/);
    const site = tree.entries.find((e) => e.name === 'site')!;
    assert.deepEqual(
      site.children!.map((e) => [e.name, e.type]),
      [
        ['config', 'dir'],
        ['out', 'link'],
      ],
    );
  });

  it('reads and saves a text file in the workspace', async () => {
    const read = (await (await runner.api('/api/files/content?path=site/config/settings.py')).json()) as WorkspaceFile;
    assert.deepEqual(read, { path: 'site/config/settings.py', size: 13, text: 'DEBUG = True\n', editable: true });
    const saved = await runner.api('/api/files/content', {
      method: 'PUT',
      json: { path: 'site/config/settings.py', text: 'DEBUG = False\n' },
    });
    assert.equal(saved.status, 200);
    assert.equal(readFileSync(ws('site/config/settings.py'), 'utf8'), 'DEBUG = False\n');
  });

  it('refuses paths out of the workspace, hidden paths, and symlinks, for reads and writes', async () => {
    writeFileSync(path.join(outside, 'secret.txt'), 'outside\n');
    for (const bad of ['../secret.txt', '/etc/passwd', '.runner/status.json', 'site/out/secret.txt']) {
      const read = await runner.api(`/api/files/content?path=${encodeURIComponent(bad)}`);
      assert.ok([400, 403].includes(read.status), `${bad}: ${read.status}`);
      const write = await runner.api('/api/files/content', { method: 'PUT', json: { path: bad, text: 'x' } });
      assert.ok([400, 403].includes(write.status), `${bad}: ${write.status}`);
    }
    assert.equal(readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'outside\n');
  });

  it('refuses to write a file with another hard link, a binary file, and oversized text', async () => {
    writeFileSync(path.join(outside, 'linked.txt'), 'outside\n');
    linkSync(path.join(outside, 'linked.txt'), ws('site/linked.txt'));
    const linked = await runner.api('/api/files/content', {
      method: 'PUT',
      json: { path: 'site/linked.txt', text: 'changed' },
    });
    assert.equal(linked.status, 403);
    assert.equal(readFileSync(path.join(outside, 'linked.txt'), 'utf8'), 'outside\n');

    writeFileSync(ws('site/image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    const shown = (await (await runner.api('/api/files/content?path=site/image.bin')).json()) as WorkspaceFile;
    assert.equal(shown.binary, true);
    assert.equal(shown.text, undefined);
    const binary = await runner.api('/api/files/content', {
      method: 'PUT',
      json: { path: 'site/image.bin', text: 'text now' },
    });
    assert.equal(binary.status, 415);

    const big = await runner.api('/api/files/content', {
      method: 'PUT',
      json: { path: 'site/config/settings.py', text: 'x'.repeat(60_000) },
    });
    assert.equal(big.status, 413);
  });
});

describe('a runner started with --no-edited-runs', () => {
  let runner: Runner;
  before(async () => {
    runner = await startRunner({ args: ['--no-edited-runs'] });
  });
  after(async () => {
    await runner.stop();
  });

  it('refuses edited runs and says why, and tells the page the steps are not editable', async () => {
    const response = await runner.api('/api/runs/edited', {
      method: 'POST',
      json: { id: 'say-hello', hash: hashOf('say-hello'), code: 'echo x' },
    });
    assert.equal(response.status, 403);
    assert.match(((await response.json()) as { error: string }).error, /--no-edited-runs/);
    const source = (await (await runner.api('/api/steps/say-hello/source')).json()) as { editable: boolean };
    assert.equal(source.editable, false);
  });
});
