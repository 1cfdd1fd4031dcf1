import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { chooseMainArchive, hostDebianMirror, parseDeb822Sources, parseOneLineSources } from './apt-mirror.ts';

const debianSources = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

describe('apt sources: deb822', () => {
  it('reads types, URIs, suites and components of each stanza', () => {
    const [main, security] = parseDeb822Sources(debianSources, 'debian.sources');
    assert.deepEqual(main, {
      types: ['deb'],
      uris: ['http://mirror.example.org/debian'],
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main'],
      origin: 'debian.sources',
    });
    assert.deepEqual(security?.suites, ['bookworm-security']);
  });

  it('keeps an inline Signed-By key block out of the other fields', () => {
    const text =
      'Types: deb\nURIs: https://m.example/debian\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\nSuites: trixie\nComponents: main contrib\n';
    const [source] = parseDeb822Sources(text);
    assert.deepEqual(source?.suites, ['trixie']);
    assert.deepEqual(source?.components, ['main', 'contrib']);
  });

  it('drops stanzas with Enabled: no', () => {
    assert.deepEqual(
      parseDeb822Sources('Enabled: no\nTypes: deb\nURIs: http://x/debian\nSuites: trixie\nComponents: main\n'),
      [],
    );
  });
});

describe('apt sources: one-line format', () => {
  it('reads deb lines with options and skips comments and deb-src', () => {
    const text = [
      '# deb http://old.example/debian buster main',
      'deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://m.example/debian trixie main contrib',
      'deb-src http://m.example/debian trixie main',
      '',
    ].join('\n');
    const sources = parseOneLineSources(text);
    assert.equal(sources.length, 2);
    assert.deepEqual(sources[0]?.uris, ['http://m.example/debian']);
    assert.deepEqual(sources[0]?.components, ['main', 'contrib']);
    assert.equal(chooseMainArchive(sources), 'http://m.example/debian');
  });
});

describe('choosing the main archive', () => {
  it('takes the main archive, not the security one', () => {
    assert.equal(chooseMainArchive(parseDeb822Sources(debianSources)), 'http://mirror.example.org/debian');
  });

  it('ignores third-party repositories and security lines listed first', () => {
    const text = [
      'deb https://packages.cloud.example/apt cloud-sdk-bookworm main',
      'deb http://security.debian.example/debian-security bullseye-security main',
      'deb http://ftp.example.de/debian/ bullseye main',
    ].join('\n');
    assert.equal(chooseMainArchive(parseOneLineSources(text)), 'http://ftp.example.de/debian');
  });

  it('prefers the plain suite to an -updates pocket on another host', () => {
    const text = 'deb http://a.example/debian trixie-updates main\ndeb http://b.example/debian trixie main\n';
    assert.equal(chooseMainArchive(parseOneLineSources(text)), 'http://b.example/debian');
  });

  it('finds nothing on an Ubuntu machine', () => {
    const text =
      'deb http://archive.ubuntu.example/ubuntu noble main restricted\ndeb http://security.ubuntu.example/ubuntu noble-security main\n';
    assert.equal(chooseMainArchive(parseOneLineSources(text)), undefined);
  });
});

describe('reading the real files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'apt-mirror-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads sources.list.d/*.sources and ignores disabled files', () => {
    const apt = path.join(dir, 'deb822');
    mkdirSync(path.join(apt, 'sources.list.d'), { recursive: true });
    writeFileSync(path.join(apt, 'sources.list.d', 'debian.sources'), debianSources);
    writeFileSync(
      path.join(apt, 'sources.list.d', 'other.list.disabled'),
      'deb http://wrong.example/debian trixie main\n',
    );
    assert.equal(hostDebianMirror(apt, ''), 'http://mirror.example.org/debian');
  });

  it('says where it looked and what to set when there is no Debian archive', () => {
    const apt = path.join(dir, 'ubuntu');
    mkdirSync(apt, { recursive: true });
    writeFileSync(path.join(apt, 'sources.list'), 'deb http://archive.ubuntu.example/ubuntu noble main\n');
    assert.throws(
      () => hostDebianMirror(apt, ''),
      /No Debian archive found in .*ubuntu\/sources\.list[\s\S]*noble[\s\S]*TUTORIAL_DEBIAN_MIRROR/,
    );
  });

  it('lets TUTORIAL_DEBIAN_MIRROR override the machine', () => {
    assert.equal(
      hostDebianMirror(path.join(dir, 'missing'), 'http://local.example/debian/'),
      'http://local.example/debian',
    );
  });
});
