/**
 * <yaml-live>: as the reader edits YAML, shows what js-yaml (in the page) and PyYAML (through the
 * runner's POST /api/yaml) make of it, with errors quoted at their line, and whether they agree.
 */
import { TEXT } from './texts.ts';
import yaml from 'js-yaml';
import type { YamlResult } from '../../contract/protocol.ts';
import { runner, type ConnectionState } from './runner-connection.ts';
import { shown as inPageLanguage } from './runner-messages.ts';
import { withCode } from './ui-text.ts';
import { differences, expansionProblem, formatValue, lineOf } from './yaml-values.ts';

const JS_DELAY_MS = 100;
const PYTHON_DELAY_MS = 250;

const PYTHON_HINTS: Record<ConnectionState, string> = TEXT.yaml.hints;

type Parsed = { ok: true; value: unknown } | { ok: false };

interface Column {
  value: HTMLPreElement;
  error: HTMLElement;
}

function column(root: Element, parser: string): Column {
  const section = root.querySelector(`[data-parser="${parser}"]`);
  const value = section?.querySelector<HTMLPreElement>('.yaml-live-value');
  const error = section?.querySelector<HTMLElement>('.yaml-live-error');
  if (!value || !error) throw new Error(`yaml-live: missing the ${parser} column`);
  return { value, error };
}

/** " 3 |   name: x" with a caret under the column: the offending line, quoted. */
function quoteLine(text: string, line: number, column: number): string {
  const lines = text.split('\n');
  const shown = lines[line - 1];
  if (shown === undefined) return '';
  const prefix = `${line} | `;
  return `${prefix}${shown}\n${' '.repeat(prefix.length + Math.max(0, column - 1))}^`;
}

function showError(col: Column, title: string, detail: string): void {
  col.value.hidden = true;
  const heading = document.createElement('p');
  heading.className = 'yaml-live-error-title';
  heading.textContent = title;
  const pre = document.createElement('pre');
  pre.tabIndex = 0; // scrollable, so it must be reachable by keyboard
  pre.textContent = detail;
  col.error.replaceChildren(heading, ...(detail ? [pre] : []));
  col.error.hidden = false;
}

function showValue(col: Column, text: string): void {
  col.value.textContent = text;
  col.value.hidden = false;
  col.error.hidden = true;
}

class YamlLive extends HTMLElement {
  private textarea!: HTMLTextAreaElement;
  private restore!: HTMLButtonElement;
  private js!: Column;
  private python!: Column;
  private pythonLabel!: HTMLElement;
  private hint!: HTMLElement;
  private verdict!: HTMLElement;
  private jsResult: Parsed = { ok: false };
  private pythonResult: Parsed | null = null;
  private jsTimer: ReturnType<typeof setTimeout> | undefined;
  private pythonTimer: ReturnType<typeof setTimeout> | undefined;
  private pythonRequest: AbortController | null = null;
  private connection: ConnectionState = 'checking';
  private unsubscribe: (() => void) | null = null;

  connectedCallback(): void {
    if (this.unsubscribe) return;
    const textarea = this.querySelector('textarea');
    const results = this.querySelector<HTMLElement>('.yaml-live-results');
    if (!textarea || !results) return;
    this.textarea = textarea;
    this.restore = this.querySelector('.yaml-live-restore')!;
    this.js = column(this, 'js');
    this.python = column(this, 'python');
    this.pythonLabel = this.querySelector('[data-parser="python"] .yaml-live-sub')!;
    this.hint = this.querySelector('.yaml-live-hint')!;
    this.verdict = this.querySelector('.yaml-live-verdict')!;
    results.hidden = false;

    textarea.addEventListener('input', () => this.changed());
    this.restore.addEventListener('click', () => {
      textarea.value = textarea.defaultValue;
      this.changed();
      textarea.focus();
    });

    this.parseJs();
    this.unsubscribe = runner.subscribe({ connection: (state) => this.onConnection(state) });
    runner.start();
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private changed(): void {
    this.restore.hidden = this.textarea.value === this.textarea.defaultValue;
    clearTimeout(this.jsTimer);
    this.jsTimer = setTimeout(() => this.parseJs(), JS_DELAY_MS);
    if (this.connection === 'connected') {
      clearTimeout(this.pythonTimer);
      this.pythonTimer = setTimeout(() => void this.parsePython(), PYTHON_DELAY_MS);
    }
  }

  private onConnection(state: ConnectionState): void {
    this.connection = state;
    const hint = PYTHON_HINTS[state];
    this.hint.replaceChildren(withCode(hint));
    this.hint.hidden = !hint;
    if (state === 'connected') {
      void this.parsePython();
    } else {
      this.pythonRequest?.abort();
      this.pythonResult = null;
      this.python.value.hidden = true;
      this.python.error.hidden = true;
      this.updateVerdict();
    }
  }

  private parseJs(): void {
    const text = this.textarea.value;
    try {
      const value = yaml.load(text);
      const tooBig = expansionProblem(value); // before anything walks it: formatting would freeze
      if (tooBig) {
        this.jsResult = { ok: false };
        showError(this.js, tooBig, '');
      } else {
        this.jsResult = { ok: true, value };
        showValue(this.js, formatValue(value, 'js'));
      }
    } catch (error) {
      this.jsResult = { ok: false };
      if (error instanceof yaml.YAMLException && error.mark) {
        const { line, column } = error.mark; // 0-based
        showError(
          this.js,
          `${TEXT.yaml.at(line + 1, column + 1)}${error.reason}`,
          error.mark.snippet ?? quoteLine(text, line + 1, column + 1),
        );
      } else {
        showError(this.js, (error as Error).message, '');
      }
    }
    this.updateVerdict();
  }

  private async parsePython(): Promise<void> {
    this.pythonRequest?.abort();
    const request = new AbortController();
    this.pythonRequest = request;
    const text = this.textarea.value;
    let result: YamlResult;
    try {
      const response = await runner.api('/api/yaml', {
        method: 'POST',
        body: JSON.stringify({ text }),
        signal: request.signal,
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string; hint?: string };
        throw new Error([body.error ?? `HTTP ${response.status}`, body.hint].filter(Boolean).join(' — '));
      }
      result = (await response.json()) as YamlResult;
    } catch (error) {
      if (request.signal.aborted) return;
      this.pythonResult = null;
      showError(this.python, TEXT.yaml.runnerCouldNot, (error as Error).message);
      this.updateVerdict();
      return;
    }
    if (request.signal.aborted) return;
    if (result.python) this.pythonLabel.textContent = `(PyYAML, Python ${result.python})`;
    const tooBig = result.ok ? expansionProblem(result.value) : null; // the bridge checks too
    if (tooBig) {
      this.pythonResult = { ok: false };
      showError(this.python, tooBig, '');
    } else if (result.ok) {
      this.pythonResult = { ok: true, value: result.value ?? null };
      showValue(this.python, formatValue(result.value ?? null, 'python'));
    } else {
      this.pythonResult = { ok: false };
      const { line, column } = result.error ?? {};
      // The runner's own reasons in the page's language; PyYAML's errors are its own words.
      const message = result.error
        ? inPageLanguage(result.error.msg, result.error.message) || TEXT.yaml.pyCouldNot
        : TEXT.yaml.pyCouldNot;
      const where = line ? TEXT.yaml.at(line, column) : '';
      // PyYAML: "while parsing … / in "<unicode string>", line 1 … / ^ / expected …": the problem
      // is the last unindented line; the message quotes the source itself unless it has no mark.
      const problem =
        message
          .split('\n')
          .filter((l) => l && !/^\s/.test(l))
          .pop() ?? message;
      const quoted = line && !message.includes('^') ? `\n\n${quoteLine(text, line, column ?? 1)}` : '';
      showError(this.python, `${where}${problem}`, `${message}${quoted}`);
    }
    this.updateVerdict();
  }

  private updateVerdict(): void {
    let text = '';
    let agree: boolean | undefined;
    const py = this.pythonResult;
    const js = this.jsResult;
    if (py && this.connection === 'connected') {
      if (!js.ok && !py.ok) {
        text = TEXT.yaml.bothReject; // agreement, but not a success
      } else if (js.ok !== py.ok) {
        text = TEXT.yaml.onlyOne(js.ok ? 'js-yaml' : 'PyYAML');
        agree = false;
      } else if (js.ok && py.ok) {
        // Every difference, each with the line it is written on, so a learner can go through them.
        const found = differences(js.value, py.value);
        agree = found.length === 0;
        text = agree
          ? TEXT.yaml.agree
          : `${TEXT.yaml.differIn(found.length)}\n${found
              .map((d) =>
                TEXT.yaml.difference(lineOf(this.textarea.value, d.steps), d.path || TEXT.yaml.wholeDocument, d.text),
              )
              .join('\n')}`;
      }
    }
    if (this.verdict.textContent === text) return;
    this.verdict.textContent = text;
    if (agree === undefined) delete this.verdict.dataset.agree;
    else this.verdict.dataset.agree = String(agree);
  }
}

if (!customElements.get('yaml-live')) customElements.define('yaml-live', YamlLive);
