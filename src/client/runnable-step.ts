/**
 * <runnable-step>: renders what step-display.ts says about one step into the skeleton that
 * render-steps.ts wrote on the server (every control is there already, named from the step's
 * heading), and sends the learner's clicks to the runner. No state of its own beyond a request in
 * flight and its error.
 */
import { formatClock } from '../../contract/format.ts';
import { store } from './page-store.ts';
import { ApiRequestError, runner } from './runner-connection.ts';
import { stepDisplay, type StepDisplay } from './step-display.ts';
import { StepEditor } from './step-editor.ts';
import { StepLog } from './step-output.ts';
import type { PageModel } from './step-model.ts';
import { LABELS, TEXT } from './texts.ts';
import { withCode } from './ui-text.ts';

function part<T extends Element>(root: Element, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`runnable-step: the server render lacks ${selector}`);
  return el;
}

/** aria-disabled, not disabled: the button stays in the tab order and keeps its description. */
function setUsable(button: HTMLButtonElement, usable: boolean): void {
  button.setAttribute('aria-disabled', String(!usable));
}

class RunnableStep extends HTMLElement {
  private id_ = '';
  private name = '';
  private runButton!: HTMLButtonElement;
  private cancelButton!: HTMLButtonElement;
  private runToButton: HTMLButtonElement | null = null;
  private badge!: HTMLElement;
  private badgeText!: HTMLElement;
  private elapsed!: HTMLElement;
  private openLink!: HTMLAnchorElement;
  private outputArea!: HTMLElement;
  private statusLine!: HTMLElement;
  private log!: StepLog;
  private summary!: HTMLElement;
  private details!: HTMLElement;
  private verified: HTMLElement | null = null;
  private editor: StepEditor | null = null;

  private shown: StepDisplay | null = null;
  private resultKey = '';
  private rendered = { runId: '', chunks: 0 };
  private clock: ReturnType<typeof setInterval> | undefined;
  private pending = false;
  private error: { what: string; error: unknown } | null = null;
  private unsubscribe: (() => void) | null = null;

  connectedCallback(): void {
    if (this.unsubscribe || this.dataset.kind === 'manual') return;
    this.id_ = this.dataset.stepId ?? '';
    this.name = this.dataset.name ?? '';
    store.register({
      id: this.id_,
      name: this.name,
      hash: this.dataset.hash ?? '',
      background: this.dataset.background === 'true',
      ...(this.dataset.port && { port: Number(this.dataset.port) }),
      ...(this.dataset.ready && { ready: this.dataset.ready }),
      ...(this.dataset.checkpoint !== undefined && { checkpoint: this.dataset.checkpoint || undefined }),
    });

    this.runButton = part(this, '.step-run');
    this.cancelButton = part(this, '.step-cancel');
    this.runToButton = this.querySelector('.step-run-to');
    this.badge = part(this, '.step-status');
    this.badgeText = part(this, '.step-status-text');
    this.elapsed = part(this, '.step-elapsed');
    this.openLink = part(this, '.step-open');
    this.outputArea = part(this, '.step-output');
    this.statusLine = part(this, '.step-statusline');
    this.log = new StepLog(part(this, '.step-log'));
    this.summary = part(this, '.step-summary');
    this.details = part(this, '.step-details');
    this.verified = this.querySelector('.step-verified');
    if (StepEditor.editable(this.dataset.kind ?? '') && !this.editor) {
      this.editor = new StepEditor(part(this, '.step-bar'), this.outputArea, {
        id: this.id_,
        name: this.name,
        hash: this.dataset.hash ?? '',
        kind: this.dataset.kind ?? '',
        run: () => void this.run(),
      });
    }

    this.runButton.addEventListener('click', () => void this.run());
    this.cancelButton.addEventListener('click', () => void this.cancel());
    this.runToButton?.addEventListener('click', () => void this.runToHere());

    store.start(this.dataset.chapter ?? '');
    this.unsubscribe = store.subscribe((model) => this.render(model));
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    clearInterval(this.clock);
  }

  // ── rendering ───────────────────────────────────────────────────────────────────────────────

  private render(model: PageModel): void {
    const shown = stepDisplay(this.id_, model, store.info);
    const before = this.shown;
    this.editor?.render(model.connection === 'connected', model.steps[this.id_]);
    this.shown = shown;

    this.badge.dataset.status = shown.badge;
    this.badgeText.textContent = TEXT.status[shown.badge];
    this.renderButtons(shown);
    this.renderClock(shown);

    this.openLink.hidden = !shown.openUrl;
    if (shown.openUrl) this.openLink.href = shown.openUrl;

    this.statusLine.hidden = !shown.statusLine;
    this.statusLine.textContent = shown.statusLine ?? '';
    this.renderOutput(model);
    // Only when it changed: a focused diff must not be replaced under the reader on every line of output.
    const resultKey = JSON.stringify([shown.result, shown.message, shown.expect]);
    if (before === null || resultKey !== this.resultKey) this.renderResult(shown);
    this.resultKey = resultKey;
    if (this.verified) this.verified.hidden = !shown.showVerified;
    this.outputArea.hidden =
      this.statusLine.hidden && this.log.isEmpty && !shown.result && this.details.childElementCount === 0;
  }

  private renderButtons(shown: StepDisplay): void {
    const focused = document.activeElement;
    const hadFocus = focused === this.runButton || focused === this.cancelButton;
    setUsable(this.runButton, shown.canRun && !this.pending);
    this.runButton.hidden = shown.cancel !== undefined;
    this.cancelButton.hidden = shown.cancel === undefined;
    if (shown.cancel) {
      this.cancelButton.textContent = shown.cancel.text;
      this.cancelButton.setAttribute(
        'aria-label',
        shown.cancel.queued
          ? `${TEXT.cancelQueued}: ${this.name}`
          : LABELS.cancel(this.name, this.dataset.background === 'true'),
      );
    }
    if (this.runToButton) setUsable(this.runToButton, shown.runToHere && !this.pending);
    // Run and Cancel swap places; keep keyboard focus on whichever is showing.
    if (hadFocus) {
      const target = shown.cancel ? this.cancelButton : this.runButton;
      if (target !== focused) target.focus();
    }
  }

  private renderClock(shown: StepDisplay): void {
    this.elapsed.hidden = !shown.running;
    clearInterval(this.clock);
    if (!shown.running || shown.startedAt === undefined) return;
    const startedAt = shown.startedAt;
    const tick = () => (this.elapsed.textContent = formatClock(Date.now() - startedAt));
    tick();
    this.clock = setInterval(tick, 1000);
  }

  /** Appends what is new in the command lane; starts over for another run. */
  private renderOutput(model: PageModel): void {
    const view = model.steps[this.id_];
    const output = view?.output ?? [];
    const runId = view?.runId ?? '';
    if (runId !== this.rendered.runId || output.length < this.rendered.chunks) {
      this.log.clear();
      this.rendered = { runId, chunks: 0 };
    }
    for (const chunk of output.slice(this.rendered.chunks)) this.log.append(chunk.stream, chunk.text);
    this.rendered.chunks = output.length;
    if (output.length > 0) this.log.flush();
  }

  private renderResult(shown: StepDisplay): void {
    const nodes: Node[] = [];
    if (shown.result) {
      const line = document.createElement('p');
      line.className = 'step-result';
      line.dataset.status = shown.result.status;
      const label = document.createElement('strong');
      label.className = 'step-result-label';
      label.textContent = shown.result.label;
      line.append(label, ...shown.result.facts.map((f) => ` · ${f}`));
      nodes.push(line);
    }
    if (shown.message) nodes.push(paragraph('step-message', shown.message));
    if (shown.expect) {
      const verdict = paragraph('step-expect', shown.expect.text);
      verdict.dataset.ok = String(shown.expect.ok);
      nodes.push(verdict);
    }
    this.summary.replaceChildren(...nodes);

    const details: Node[] = [];
    if (shown.expect?.diff) {
      const diff = document.createElement('pre');
      diff.className = 'step-diff';
      diff.tabIndex = 0; // scrollable, so reachable by keyboard
      diff.setAttribute('aria-label', LABELS.diff(this.name));
      for (const text of shown.expect.diff.replace(/\n$/, '').split('\n')) {
        const cls = text.startsWith('+') ? 'diff-add' : text.startsWith('-') ? 'diff-del' : 'diff-same';
        const span = document.createElement('span');
        span.className = cls;
        span.textContent = text || ' ';
        diff.append(span);
      }
      details.push(diff);
    }
    if (this.error) details.push(this.errorBox(this.error.what, this.error.error));
    this.details.replaceChildren(...details);
  }

  private errorBox(what: string, error: unknown): HTMLElement {
    const box = document.createElement('div');
    box.className = 'step-error';
    box.setAttribute('role', 'alert');
    if (error instanceof ApiRequestError) {
      box.append(paragraph('', `${what}: ${error.message}`));
      if (error.hint) box.append(paragraph('step-error-hint', error.hint));
    } else {
      box.append(paragraph('', `${what}: ${TEXT.noAnswer}`));
      const hint = paragraph('step-error-hint', '');
      hint.append(withCode(TEXT.noAnswerHint));
      box.append(hint);
    }
    return box;
  }

  // ── actions ─────────────────────────────────────────────────────────────────────────────────

  private async act(what: string, button: HTMLButtonElement, request: () => Promise<unknown>): Promise<void> {
    if (this.pending || button.getAttribute('aria-disabled') === 'true') return;
    this.pending = true;
    this.error = null;
    try {
      await request();
    } catch (error) {
      this.error = { what, error };
    } finally {
      this.pending = false;
      this.shown = null; // redraw the result area with (or without) the error
      this.render(store.model);
    }
  }

  private run(): Promise<void> {
    // The learner's own version goes to its own endpoint; the shipped step runs by id and hash only.
    const code = this.editor?.editedCode();
    return this.act(TEXT.couldNot.run, this.runButton, () =>
      code === undefined
        ? runner.json('/api/runs', 'POST', { id: this.id_, hash: this.dataset.hash })
        : runner.json('/api/runs/edited', 'POST', { id: this.id_, hash: this.dataset.hash, code }),
    );
  }

  private runToHere(): Promise<void> {
    return this.act(TEXT.couldNot.runTo, this.runToButton!, () =>
      runner.json(`/api/chapters/${encodeURIComponent(this.dataset.chapter ?? '')}/run`, 'POST', { until: this.id_ }),
    );
  }

  private cancel(): Promise<void> {
    const runId = store.model.steps[this.id_]?.runId;
    if (!runId) return Promise.resolve();
    const what = this.dataset.background === 'true' ? TEXT.couldNot.stop : TEXT.couldNot.cancel;
    return this.act(what, this.cancelButton, () =>
      runner.json(`/api/runs/${encodeURIComponent(runId)}/cancel`, 'POST', {}),
    );
  }
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  if (className) p.className = className;
  p.textContent = text;
  return p;
}

if (!customElements.get('runnable-step')) customElements.define('runnable-step', RunnableStep);
