/**
 * Which Debian mirror this machine's apt uses, so the offline stand-ins are built from the same
 * place apt already reaches (a corporate or local mirror works where deb.debian.org may not).
 * Reads deb822 `*.sources` files and one-line `sources.list` files; picks the main archive.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  /** Where it was read, e.g. `/etc/apt/sources.list.d/debian.sources`. */
  origin: string;
}

/** Debian's release names and aliases; a suite outside this list (jammy, nodistro, cloud-sdk-x) is not Debian's archive. */
const DEBIAN_SUITES = new Set([
  'buzz',
  'rex',
  'bo',
  'hamm',
  'slink',
  'potato',
  'woody',
  'sarge',
  'etch',
  'lenny',
  'squeeze',
  'wheezy',
  'jessie',
  'stretch',
  'buster',
  'bullseye',
  'bookworm',
  'trixie',
  'forky',
  'duke',
  'sid',
  'stable',
  'testing',
  'unstable',
  'oldstable',
  'oldoldstable',
]);

/** Parses deb822 source stanzas (`Types:`, `URIs:`, `Suites:`, `Components:`); disabled stanzas are dropped. */
export function parseDeb822Sources(text: string, origin = '<deb822>'): AptSource[] {
  const sources: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let current: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      if (/^\s/.test(line)) {
        // A continuation line (e.g. an inline Signed-By key block) belongs to the field above.
        if (current) fields.set(current, `${fields.get(current)}\n${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      current = line.slice(0, colon).trim().toLowerCase();
      fields.set(current, line.slice(colon + 1).trim());
    }
    if (!fields.has('uris') || /^(no|false)$/i.test(fields.get('enabled') ?? '')) continue;
    const list = (name: string) => (fields.get(name) ?? '').split(/\s+/).filter(Boolean);
    sources.push({
      types: list('types'),
      uris: list('uris'),
      suites: list('suites'),
      components: list('components'),
      origin,
    });
  }
  return sources;
}

/** Parses one-line entries: `deb [arch=amd64 signed-by=...] URI suite component...`. */
export function parseOneLineSources(text: string, origin = '<sources.list>'): AptSource[] {
  const sources: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, ' ')
      .trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (!type || !uri || !suite || !/^deb(-src)?$/.test(type)) continue;
    sources.push({ types: [type], uris: [uri], suites: [suite], components, origin });
  }
  return sources;
}

/**
 * The URI of the main Debian archive among `sources`: a binary (`deb`) source of a Debian suite
 * with the `main` component, not the security archive. Plain suites (bookworm) win over their
 * -updates/-backports pockets. Undefined when there is none (an Ubuntu machine, say).
 */
export function chooseMainArchive(sources: AptSource[]): string | undefined {
  let best: { uri: string; rank: number } | undefined;
  for (const source of sources) {
    if (!source.types.includes('deb') || !source.components.includes('main')) continue;
    for (const suite of source.suites) {
      const [codename = '', pocket] = suite.split(/[-/]/);
      // `bookworm-security`, and `buster/updates` before Debian 11, are the security archive.
      const security = /-security$|\/updates$/.test(suite);
      if (!DEBIAN_SUITES.has(codename) || security) continue;
      for (const uri of source.uris) {
        if (!/^(https?|file):/.test(uri) || /security/.test(uri)) continue;
        const rank = pocket ? 1 : 2;
        if (!best || rank > best.rank) best = { uri: uri.replace(/\/+$/, ''), rank };
      }
    }
  }
  return best?.uri;
}

/** Everything apt would read under `aptDir` (normally /etc/apt), in apt's order. */
export function readAptSources(aptDir = '/etc/apt'): AptSource[] {
  const sources: AptSource[] = [];
  const listFile = path.join(aptDir, 'sources.list');
  const text = readIfPresent(listFile);
  if (text !== undefined) sources.push(...parseOneLineSources(text, listFile));
  const partsDir = path.join(aptDir, 'sources.list.d');
  let parts: string[] = [];
  try {
    parts = readdirSync(partsDir).sort();
  } catch {
    // no sources.list.d: only sources.list counts
  }
  for (const name of parts) {
    const file = path.join(partsDir, name);
    if (name.endsWith('.sources')) sources.push(...parseDeb822Sources(readIfPresent(file) ?? '', file));
    else if (name.endsWith('.list')) sources.push(...parseOneLineSources(readIfPresent(file) ?? '', file));
  }
  return sources;
}

/**
 * The Debian mirror to build stand-ins from: TUTORIAL_DEBIAN_MIRROR if set, else this machine's
 * main archive. Throws, saying where it looked, when there is none.
 */
export function hostDebianMirror(aptDir = '/etc/apt', override = process.env.TUTORIAL_DEBIAN_MIRROR): string {
  if (override) return override.replace(/\/+$/, '');
  const sources = readAptSources(aptDir);
  const mirror = chooseMainArchive(sources);
  if (mirror) return mirror;
  const seen = sources.map((s) => `${s.uris.join(' ')} ${s.suites.join(' ')} (${s.origin})`);
  throw new Error(
    `No Debian archive found in ${aptDir}/sources.list or ${aptDir}/sources.list.d/*.sources` +
      (seen.length ? `; found only:\n  ${seen.join('\n  ')}\n` : ' (no apt sources at all). ') +
      'The offline stand-in images are built from Debian packages: set TUTORIAL_DEBIAN_MIRROR to a Debian mirror URL ' +
      '(the form is http://<host>/debian) and try again.',
  );
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
