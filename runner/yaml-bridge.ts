/**
 * The YAML live view's bridge: Python's own reading of a YAML text (session/yaml-to-json.py), run on
 * the current target. The text is data; the code is ours. One parse at a time: typing sends a request
 * per pause, and only the latest matters.
 */
import { randomUUID } from 'node:crypto';
import { english, isMessageCode, say, type Message } from '../contract/messages.ts';
import type { YamlResult } from '../contract/protocol.ts';
import { sessionFiles } from './session/session-files.ts';
import type { Target } from './targets/target.ts';
import type { Workspace } from './workspace.ts';

/** Largest answer read from the YAML bridge (the request itself is at most 64 KiB). */
const YAML_ANSWER_BYTES = 4 * 1024 * 1024;

/** Collects a child's output up to `limit` bytes; past it, keeps nothing more and calls `over` once. */
function boundedText(limit: number, over?: () => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add: (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) return over?.();
      chunks.push(chunk);
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

export class YamlBridge {
  private readonly workspace: Workspace;
  private abort?: AbortController;

  constructor(workspace: Workspace) {
    this.workspace = workspace;
  }

  /** Parses `text` with python3 on `target`; a newer call stops this one. */
  async parse(text: string, target: Target): Promise<YamlResult> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    await target.ensureReady();
    const files = sessionFiles(this.workspace, target.name);
    await target.syncWorkspace?.(); // a remote lab's workspace gets the bridge's script
    const runId = `yaml-${randomUUID()}`;
    const child = target.spawn(['python3', files.yamlToJson], {
      cwd: this.workspace.root,
      env: target.baseEnv(this.workspace.home),
      runId,
    });
    child.stdin?.on('error', () => {}); // a child that exits before reading all of it
    child.stdin?.end(text);
    let why: Message | undefined;
    const stop = (reason: Message | undefined) => {
      why ??= reason;
      void target.killRun(runId, 200).catch(() => {});
    };
    // Bounded, whatever the child prints: the bridge refuses big expansions itself, this is the
    // runner's own guard (an unbounded string once ended in an uncaught RangeError).
    const stdout = boundedText(YAML_ANSWER_BYTES, () =>
      stop(say('yaml.answer-too-big', { mib: YAML_ANSWER_BYTES / 1024 / 1024 })),
    );
    const stderr = boundedText(16 * 1024);
    child.stdout?.on('data', stdout.add);
    child.stderr?.on('data', stderr.add);
    const timer = setTimeout(() => stop(say('yaml.too-slow')), 10_000);
    // Replaced by a newer request: that one answers the page.
    abort.signal.addEventListener('abort', () => stop(undefined), { once: true });
    const code = await new Promise<number | null>((resolve) => {
      child.once('close', resolve);
      child.once('error', () => resolve(-1));
    });
    clearTimeout(timer);
    void target.killRun(runId, 0).catch(() => {}); // forgets the run's bookkeeping too
    if (why) return failed(why);
    if (abort.signal.aborted) return failed(say('yaml.replaced')); // the page shows the newer answer
    if (code !== 0) {
      if (code === 127 || code === -1) return failed(say('yaml.no-python', { target: target.name }));
      return failed(say('yaml.python-failed', { detail: stderr.text().trim() || `exit code ${code}` }));
    }
    let result: YamlResult & { error?: { code?: string } };
    try {
      result = JSON.parse(stdout.text()) as typeof result;
    } catch {
      return failed(say('yaml.not-json', { start: stdout.text().slice(0, 200) }));
    }
    // The script's own refusals carry a code; PyYAML's parse errors stay PyYAML's words.
    const scriptCode = result.error?.code;
    if (result.error && scriptCode) {
      delete result.error.code;
      if (isMessageCode(scriptCode)) result.error.msg = { code: scriptCode };
    }
    return result;
  }
}

function failed(msg: Message): YamlResult {
  return { ok: false, error: { message: english(msg), msg } };
}
