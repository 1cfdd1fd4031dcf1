/**
 * The YAML live view's bridge: Python's own reading of a YAML text (session/yaml-to-json.py), run on
 * the current target. The text is data; the code is ours. One parse at a time: typing sends a request
 * per pause, and only the latest matters.
 */
import { randomUUID } from 'node:crypto';
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
    const runId = `yaml-${randomUUID()}`;
    const child = target.spawn(['python3', files.yamlToJson], {
      cwd: this.workspace.root,
      env: target.baseEnv(this.workspace.home),
      runId,
    });
    child.stdin?.on('error', () => {}); // a child that exits before reading all of it
    child.stdin?.end(text);
    let why = '';
    const stop = (reason: string) => {
      why ||= reason;
      void target.killRun(runId, 200).catch(() => {});
    };
    // Bounded, whatever the child prints: the bridge refuses big expansions itself, this is the
    // runner's own guard (an unbounded string once ended in an uncaught RangeError).
    const stdout = boundedText(YAML_ANSWER_BYTES, () =>
      stop(`answer grew over ${YAML_ANSWER_BYTES / 1024 / 1024} MiB and was stopped (aliases expanding?)`),
    );
    const stderr = boundedText(16 * 1024);
    child.stdout?.on('data', stdout.add);
    child.stderr?.on('data', stderr.add);
    const timer = setTimeout(() => stop('took over 10 s and was stopped (a YAML bomb?)'), 10_000);
    abort.signal.addEventListener('abort', () => stop('replaced by a newer request'), { once: true });
    const code = await new Promise<number | null>((resolve) => {
      child.once('close', resolve);
      child.once('error', () => resolve(-1));
    });
    clearTimeout(timer);
    void target.killRun(runId, 0).catch(() => {}); // forgets the run's bookkeeping too
    if (why) return { ok: false, error: { message: `Python's parse ${why}` } };
    if (code !== 0) {
      const missing =
        code === 127 || code === -1 ? `python3 was not found on the ${target.name} target` : stderr.text().trim();
      return { ok: false, error: { message: `python3 could not parse it: ${missing || `exit code ${code}`}` } };
    }
    try {
      return JSON.parse(stdout.text()) as YamlResult;
    } catch {
      return {
        ok: false,
        error: { message: `python3 printed something that is not JSON: ${stdout.text().slice(0, 200)}` },
      };
    }
  }
}
