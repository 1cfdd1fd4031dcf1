import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContentError } from './content-error.ts';
import { readFence, type Fence } from './read-fence.ts';

const FILE = 'content/demo.mdx';
const fence = (lang: string, meta: string | null, code = 'echo hi', line = 7): Fence => ({ lang, meta, code, line });
const step = (f: Fence) => {
  const meaning = readFence(f, FILE);
  assert.equal(meaning.type, 'step');
  return (meaning as Extract<typeof meaning, { type: 'step' }>).step;
};
/** Asserts the fence is refused with `content/demo.mdx:<line>: <reason matching>`. */
const refuses = (f: Fence, reason: RegExp) =>
  assert.throws(
    () => readFence(f, FILE),
    (e: unknown) => e instanceof ContentError && e.message.startsWith(`${FILE}:${f.line}: `) && reason.test(e.reason),
  );

describe('reading a fence', () => {
  it('leaves a fence without braces as plain code', () => {
    assert.deepEqual(readFence(fence('sh', null), FILE), { type: 'plain' });
    assert.deepEqual(readFence(fence('python', 'title="x.py"'), FILE), { type: 'plain' });
  });

  it('reads a shell step with defaults', () => {
    const s = step(fence('sh', '{id=say-hi}'));
    assert.equal(s.kind, 'shell');
    assert.equal(s.timeoutMs, 120_000);
    assert.deepEqual(s.requires, []);
    assert.equal(s.background, false);
    assert.deepEqual(s.source, { file: FILE, line: 7 });
  });

  it('infers kinds from the language and attributes', () => {
    assert.equal(step(fence('python', '{id=a}')).kind, 'python');
    assert.equal(step(fence('pycon', '{id=a}')).kind, 'repl');
    assert.equal(step(fence('dockerfile', '{id=a file=Dockerfile}')).kind, 'file');
    assert.equal(step(fence('python', '{id=a file=s.py find="x = 1"}')).kind, 'edit');
    assert.equal(step(fence('sh', '{id=a file=~/.bashrc append}')).kind, 'edit');
  });

  it('resolves file against cwd and keeps both inside the workspace', () => {
    const s = step(fence('py', '{id=a cwd=ch05/ex02 file=myapp/settings.py find="X = []"}'));
    assert.equal(s.cwd, 'ch05/ex02');
    assert.equal(s.file, 'ch05/ex02/myapp/settings.py');
    assert.equal(s.title, 'ch05/ex02/myapp/settings.py');
  });

  it('reads a background service with port, ready path, timeout and requirements', () => {
    const s = step(fence('sh', '{id=serve background port=8000 ready=/ timeout=90s requires=docker,internet}'));
    assert.deepEqual(
      { bg: s.background, port: s.port, ready: s.ready, t: s.timeoutMs, r: s.requires },
      { bg: true, port: 8000, ready: '/', t: 90_000, r: ['docker', 'internet'] },
    );
  });

  it('reads an output fence with its match mode, none by default', () => {
    assert.deepEqual(readFence(fence('output', '{match=regex}'), FILE), {
      type: 'output',
      match: 'regex',
      again: false,
    });
    assert.deepEqual(readFence(fence('output', null), FILE), { type: 'output', match: 'none', again: false });
    assert.deepEqual(readFence(fence('output', '{match=contains again}'), FILE), {
      type: 'output',
      match: 'contains',
      again: true,
    });
  });

  it('reads a checkpoint (bare: the standard words) and a `done` test', () => {
    const bare = readFence(fence('sh', '{id=a checkpoint}'), FILE);
    assert.ok(bare.type === 'step' && bare.step.checkpoint === '');
    const said = readFence(fence('sh', '{id=a checkpoint="Open :8000" done="test -d x"}'), FILE);
    assert.ok(said.type === 'step' && said.step.checkpoint === 'Open :8000' && said.step.done === 'test -d x');
  });
  it('refuses `done` on a manual step, which never runs', () =>
    refuses(fence('text', '{id=a kind=manual done="true"}'), /attribute "done" means nothing on a manual step/));

  it('refuses a step without an id', () => refuses(fence('sh', '{cwd=x}'), /needs an id/));
  it('refuses an unknown attribute, listing the known ones', () =>
    refuses(fence('sh', '{id=a colour=red}'), /unknown step attribute "colour" \(known: id, kind/));
  it('refuses a bad id', () => refuses(fence('sh', '{id=Bad_Id}'), /attribute "id": expected lower-case/));
  it('refuses a bad port', () => refuses(fence('sh', '{id=a port=http}'), /attribute "port": expected a port number/));
  it('refuses a port out of range', () => refuses(fence('sh', '{id=a port=70000}'), /attribute "port"/));
  it('refuses a bad duration', () =>
    refuses(fence('sh', '{id=a timeout=soon}'), /attribute "timeout": expected a duration/));
  it('refuses an unknown requirement', () => refuses(fence('sh', '{id=a requires=gpu}'), /unknown requirement "gpu"/));
  it('refuses a bad flag value', () => refuses(fence('sh', '{id=a background=yes}'), /attribute "background"/));
  it('refuses an unknown kind', () => refuses(fence('sh', '{id=a kind=docker}'), /attribute "kind"/));
  it('refuses a cwd outside the workspace', () =>
    refuses(fence('sh', '{id=a cwd=../up}'), /attribute "cwd": .*leaves the workspace/));
  it('refuses an absolute file', () =>
    refuses(fence('text', '{id=a file=/etc/passwd}'), /attribute "file": .*absolute/));
  it('refuses a file that climbs out of cwd', () =>
    refuses(fence('text', '{id=a cwd=ch05 file=../../x}'), /attribute "file": .*leaves the workspace/));
  it('refuses a kind it cannot infer', () => refuses(fence('yaml', '{id=a}'), /cannot tell what kind/));
  it('refuses a file step without file', () => refuses(fence('yaml', '{id=a kind=file}'), /needs file=/));
  it('refuses an edit step with both find and append', () =>
    refuses(fence('sh', '{id=a kind=edit file=x find="y" append}'), /exactly one of/));
  it('refuses background on a non-shell step', () =>
    refuses(fence('python', '{id=a background}'), /"background" is only for shell steps/));
  it('refuses ready without port', () => refuses(fence('sh', '{id=a ready=/}'), /needs port/));
  it('refuses execution attributes on a manual step', () =>
    refuses(fence('text', '{id=a kind=manual cwd=x}'), /"cwd" means nothing on a manual step/));
  it('refuses attributes without braces that look like a step', () =>
    refuses(fence('sh', 'id=a'), /must be wrapped in braces/));
  it('refuses a syntax error with its reason', () => refuses(fence('sh', '{id=a id=b}'), /given twice/));
  it('refuses a timeout over a day', () => refuses(fence('sh', '{id=a timeout=40000m}'), /over 24 hours/));
  it('refuses an expected output that is not a valid regex', () =>
    refuses(fence('output', '{match=regex}', 'ser(ving'), /not a valid regular expression/));
  it('refuses an unknown output attribute', () =>
    refuses(fence('output', '{match=contains for=x}'), /unknown output attribute "for"/));
});
