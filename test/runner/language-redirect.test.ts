/**
 * The link `npm start` prints opens `/?token=…`: a browser that prefers Korean lands on /ko/ with
 * its token, one that does not stays on the English root, and the Host check still comes first.
 * Through HTTP against the real runner process.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startRunner, type Runner } from './harness.ts';

function get(runner: Runner, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; location?: string; vary?: string }>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: runner.port, path, headers }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({
          status: response.statusCode!,
          location: response.headers.location,
          vary: response.headers.vary?.toString(),
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

describe("the runner's link and the browser's language", () => {
  let runner: Runner;
  before(async () => (runner = await startRunner()));
  after(() => runner?.stop());
  const host = () => ({ host: `127.0.0.1:${runner.port}` });

  it('sends a browser that prefers Korean from the link to /ko/, token and all', async () => {
    for (const language of ['ko-KR,ko;q=0.9,en-US;q=0.8', 'ko', 'en;q=0.5, ko;q=0.9']) {
      const answer = await get(runner, '/?token=abc%2B1', { ...host(), 'accept-language': language });
      assert.equal(answer.status, 302, language);
      assert.equal(answer.location, '/ko/?token=abc%2B1', language);
      assert.match(answer.vary ?? '', /accept-language/i);
    }
  });

  it('leaves other browsers, other pages and a page without the token where they are', async () => {
    const cases: [string, string][] = [
      ['/?token=abc', 'en-US,en;q=0.9,ko;q=0.8'],
      ['/?token=abc', ''],
      ['/?token=abc', 'ko;q=0'],
      // The language picker's English link: a Korean browser that chose English stays there.
      ['/', 'ko-KR,ko;q=0.9'],
      ['/environment/?token=abc', 'ko-KR,ko;q=0.9'],
    ];
    for (const [path, language] of cases) {
      const answer = await get(runner, path, { ...host(), ...(language && { 'accept-language': language }) });
      assert.notEqual(answer.status, 302, `${path} ${language}`);
      assert.equal(answer.location, undefined, `${path} ${language}`);
    }
  });

  it('checks the Host before it redirects anyone', async () => {
    const answer = await get(runner, '/?token=abc', { host: 'evil.example:80', 'accept-language': 'ko' });
    assert.equal(answer.status, 403);
    assert.equal(answer.location, undefined);
  });
});
