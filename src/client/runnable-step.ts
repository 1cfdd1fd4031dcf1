/**
 * <runnable-step>: enhances the static step shell that render-steps.ts writes around a code block
 * (Run button, status badge, output area) into a live control for one step on the runner.
 */
import type { ExpectReport, RunnerEvent, RunnerState, StepState, Transcript } from '../../contract/protocol.ts';
import { ApiRequestError, runner, type ConnectionState } from './runner-connection.ts';
import { formatClock, formatDuration } from '../../contract/format.ts';
import { StepLog } from './step-output.ts';
import { describeResult, make, STATUS_TEXT, type Shown } from './step-result.ts';
import { withCode } from './ui-text.ts';

const CONNECTION_HINTS: Partial<Record<ConnectionState, string>> = {
  absent: 'Start the runner with `npm start` to run this step.',
  unauthorized: 'Open the link with the token that `npm start` printed.',
};

/** Changes a live region without it being announced (state loaded on page load, not news). */
function quietly(region: HTMLElement, change: () => void): void {
  region.setAttribute('aria-live', 'off');
  change();
  setTimeout(() => region.setAttribute('aria-live', 'polite'), 50);
}

class RunnableStep extends HTMLElement {
  private id_ = '';
  private hash = '';
  private chapter = '';
  private background = false;
  private runButton: HTMLButtonElement | null = null;
  private cancelButton: HTMLButtonElement | null = null;
  private runToButton: HTMLButtonElement | null = null;
  private badge!: HTMLElement;
  private elapsed!: HTMLElement;
  private hint!: HTMLElement;
  private output!: HTMLElement;
  private log!: StepLog;
  private ready!: HTMLElement;
  private summary!: HTMLElement;
  private details!: HTMLElement;
  private transcriptToggle!: HTMLButtonElement;

  private connection: ConnectionState = 'checking';
  /** The run this element shows (live or from the transcript). */
  private runId: string | null = null;
  private running = false;
  private startedAt = 0;
  private clock: ReturnType<typeof setInterval> | undefined;
  private logSource: 'live' | 'transcript' | null = null;
  /** Which finished status (run, status, hash) the summary shows, when it came from /api/state. */
  private shownFromState = '';
  private busy = false;
  /** Set when the stream reopens during a run: the next state decides whether it still runs. */
  private recheckRun = false;
  private unsubscribe: (() => void) | null = null;

  connectedCallback(): void {
    if (this.unsubscribe) return;
    this.id_ = this.dataset.stepId ?? '';
    this.hash = this.dataset.hash ?? '';
    this.chapter = this.dataset.chapter ?? '';
    this.background = this.dataset.background === 'true';
    if (this.dataset.kind === 'manual') return; // nothing to run: the static shell says so

    this.runButton = this.querySelector('.step-run');
    this.cancelButton = this.querySelector('.step-cancel');
    this.badge = this.querySelector('.step-status') ?? make('span', 'step-status');
    this.hint = this.querySelector('.step-hint') ?? make('span', 'step-hint');
    this.output = this.querySelector('.step-output') ?? make('div', 'step-output');
    this.badge.setAttribute('aria-live', 'polite');

    this.runButton?.setAttribute('aria-label', `Run step ${this.id_}`);
    this.runButton?.addEventListener('click', () => void this.run());
    this.cancelButton?.setAttribute('aria-label', `${this.background ? 'Stop service' : 'Cancel step'} ${this.id_}`);
    this.cancelButton?.addEventListener('click', () => void this.cancel());

    this.elapsed = make('span', 'step-elapsed');
    this.elapsed.hidden = true;
    this.badge.after(this.elapsed);

    if (Number(this.dataset.order ?? 0) > 0) {
      this.runToButton = make('button', 'step-run-to', 'Run to here');
      this.runToButton.type = 'button';
      this.runToButton.disabled = true;
      this.runToButton.title = 'Run this chapter’s steps in order, up to and including this one';
      this.runToButton.setAttribute('aria-label', `Run to here: the chapter's steps up to ${this.id_}`);
      this.runToButton.addEventListener('click', () => void this.runToHere());
      (this.cancelButton ?? this.runButton)?.after(this.runToButton);
    }

    this.log = new StepLog(`Output of step ${this.id_}`);
    this.log.element.id = `step-log-${this.id_}`;
    this.ready = make('p', 'step-ready');
    this.ready.hidden = true;
    this.summary = make('div', 'step-summary');
    this.summary.setAttribute('role', 'status');
    this.summary.setAttribute('aria-live', 'polite');
    this.details = make('div', 'step-details'); // diffs and errors: long, so not in the live region
    this.transcriptToggle = make('button', 'step-transcript-toggle', 'Show last output');
    this.transcriptToggle.type = 'button';
    this.transcriptToggle.hidden = true;
    this.transcriptToggle.setAttribute('aria-controls', this.log.element.id);
    this.transcriptToggle.setAttribute('aria-expanded', 'false');
    this.transcriptToggle.addEventListener('click', () => void this.toggleTranscript());
    this.output.replaceChildren(this.log.element, this.ready, this.summary, this.details, this.transcriptToggle);

    runner.start(this.chapter);
    this.unsubscribe = runner.subscribe({
      connection: (state) => this.onConnection(state),
      state: (state) => this.onState(state),
      event: (event) => this.onEvent(event),
      reopened: () => {
        if (!this.running) return;
        this.log.clear(); // the stream replays this run's output from the start, if it still runs
        this.recheckRun = true; // …and if not, the next state says how it ended
      },
    });
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    clearInterval(this.clock);
  }

  // ── connection and state ─────────────────────────────────────────────────────────────────────

  private onConnection(state: ConnectionState): void {
    this.connection = state;
    const hint = CONNECTION_HINTS[state];
    this.hint.hidden = !hint;
    this.hint.replaceChildren(hint ? withCode(hint) : '');
    this.updateButtons();
  }

  private onState(state: RunnerState): void {
    const active = state.active.find((a) => a.stepId === this.id_);
    const st = state.steps[this.id_];
    if (active) {
      if (active.runId !== this.runId || !this.running) {
        this.startRun(active.runId, st?.status === 'running' ? st.at : undefined, true);
      }
    } else if (this.running && this.runId && st?.runId === this.runId && st.status !== 'running') {
      this.endRun(st, undefined, false); // ended while the stream was away
    } else if (this.running && this.recheckRun) {
      this.forgetRun(); // gone with a runner restart: nothing will end it
      this.showFinished(st);
    } else if (!this.running) {
      this.showFinished(st);
    }
    this.recheckRun = false;
    this.showService(state);
  }

  private onEvent(event: RunnerEvent): void {
    if (!('stepId' in event) || event.stepId !== this.id_) return;
    switch (event.type) {
      case 'run-start':
        this.startRun(event.runId, event.at, false);
        break;
      case 'output':
        if (event.runId !== this.runId)
          this.startRun(event.runId, undefined, false); // missed its start
        else if (!this.running) break; // late output of a run already shown as ended
        this.log.append(event.stream, event.text);
        break;
      case 'ready':
        if (event.runId === this.runId) this.showReady(event.url);
        break;
      case 'run-end':
        if (event.runId === this.runId || !this.running) {
          this.runId = event.runId;
          this.endRun(event.state, event.expect, true);
        }
        break;
    }
  }

  // ── rendering ───────────────────────────────────────────────────────────────────────────────

  private setBadge(shown: Shown, title = '', announce = true): void {
    const apply = () => {
      this.badge.dataset.status = shown;
      this.badge.textContent = STATUS_TEXT[shown];
      this.badge.title = title;
    };
    if (this.badge.dataset.status === shown && this.badge.title === title) return;
    if (announce) apply();
    else quietly(this.badge, apply);
  }

  private updateButtons(): void {
    const connected = this.connection === 'connected';
    // Run and Cancel swap places; keep keyboard focus on whichever is showing.
    const focused = document.activeElement;
    const hadFocus =
      focused !== null && [this.runButton, this.runToButton, this.cancelButton].includes(focused as HTMLButtonElement);
    // `busy` (a request on its way) does not disable: a disabled button drops keyboard focus.
    if (this.runButton) {
      this.runButton.disabled = !connected || this.running;
      this.runButton.hidden = this.running;
      this.runButton.setAttribute('aria-busy', String(this.busy));
    }
    if (this.cancelButton) {
      this.cancelButton.hidden = !this.running;
      this.cancelButton.disabled = !connected || !this.runId;
    }
    if (this.runToButton) {
      this.runToButton.disabled = !connected || this.running;
      this.runToButton.hidden = this.running;
    }
    if (hadFocus) {
      const target = this.running ? this.cancelButton : this.runButton;
      if (target && !target.hidden && target !== focused) target.focus();
    }
    this.transcriptToggle.hidden = !(connected && !this.running && this.runId !== null && this.logSource !== 'live');
  }

  private showOutputArea(): void {
    this.output.hidden = false;
  }

  private startRun(runId: string, at: string | undefined, fromState: boolean): void {
    const isReplay = runId === this.runId && this.running;
    this.runId = runId;
    this.running = true;
    this.logSource = 'live';
    this.log.clear();
    if (!isReplay) {
      this.ready.hidden = true;
      this.details.replaceChildren();
      const parsed = at ? Date.parse(at) : Number.NaN;
      this.startedAt = Number.isNaN(parsed) ? Date.now() : parsed;
    }
    this.setBadge('running', '', !fromState);
    this.setSummary([withCode(this.background ? 'Starting…' : 'Running…')], !fromState);
    this.showOutputArea();
    this.tick();
    clearInterval(this.clock);
    this.clock = setInterval(() => this.tick(), 1000);
    this.elapsed.hidden = false;
    this.updateButtons();
  }

  private tick(): void {
    const ms = Date.now() - this.startedAt;
    this.elapsed.textContent = formatClock(ms);
    this.elapsed.title = `running for ${formatDuration(ms)}`;
  }

  private showReady(url?: string): void {
    const href = url ?? (this.dataset.port ? `http://127.0.0.1:${this.dataset.port}/` : '');
    this.setBadge('ready', href ? `serving ${href}` : 'ready');
    this.setSummary([withCode('Ready. The service keeps running until you stop it.')], true);
    this.ready.replaceChildren();
    if (href) {
      const link = make('a', 'step-open', `Open ${href}`);
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener';
      this.ready.append(link);
    }
    this.ready.hidden = !href;
  }

  private showService(state: RunnerState): void {
    const service = state.services.find((s) => s.stepId === this.id_);
    if (service?.state === 'ready' && this.running && service.runId === this.runId) {
      if (this.badge.dataset.status !== 'ready') this.showReady(service.url);
    } else if (!service && !this.running) {
      this.ready.hidden = true;
    }
  }

  private stopRunning(): void {
    this.running = false;
    this.busy = false;
    clearInterval(this.clock);
    this.elapsed.hidden = true;
    this.ready.hidden = true;
  }

  private forgetRun(): void {
    this.stopRunning();
    this.logSource = null;
    this.shownFromState = '';
  }

  private endRun(state: StepState, expect: ExpectReport | undefined, announce: boolean): void {
    this.log.flush();
    const opened = !this.background && !this.ready.hidden && this.ready.childElementCount > 0;
    this.stopRunning();
    // `docker run -d -p …` is done, but what it started still answers: keep the link to it.
    if (opened && state.status === 'ok') this.ready.hidden = false;
    this.setBadge(state.status, '', announce);
    this.renderResult(state, expect, announce, false);
    this.updateButtons();
  }

  /** A finished status from /api/state, shown without the run's output (see "Show last output"). */
  private showFinished(st: StepState | undefined): void {
    if (!st) {
      if (this.runId !== null) {
        // The runner forgot it (reset): back to the static look.
        this.runId = null;
        this.logSource = null;
        this.log.clear();
        this.setSummary([], false);
        this.details.replaceChildren();
        this.output.hidden = true;
        this.setBadge('idle', '', false);
      }
      this.updateButtons();
      return;
    }
    const key = `${st.runId} ${st.status} ${st.hash}`;
    if (st.runId === this.runId && (this.logSource !== null || this.shownFromState === key)) {
      this.updateButtons();
      return; // already showing this run
    }
    this.shownFromState = key;
    this.runId = st.runId;
    this.logSource = null;
    this.log.clear();
    this.details.replaceChildren();
    const stale = st.hash !== '' && st.hash !== this.hash;
    if (stale) {
      this.setBadge('stale', `This step changed since it last ran (then: ${st.status}). Run it again.`, false);
    } else {
      this.setBadge(st.status, '', false);
    }
    this.renderResult(st, undefined, false, stale);
    this.updateButtons();
  }

  private renderResult(st: StepState, expect: ExpectReport | undefined, announce: boolean, stale: boolean): void {
    const { summary, details } = describeResult(this.id_, st, expect, { stale, withAge: !announce });
    if (details.length) this.details.replaceChildren(...details);
    this.setSummary(summary, announce);
    this.showOutputArea();
  }

  private setSummary(nodes: Node[], announce: boolean): void {
    const apply = () => this.summary.replaceChildren(...nodes);
    if (announce) apply();
    else quietly(this.summary, apply);
  }

  private showError(error: unknown, what: string): void {
    const box = make('div', 'step-error');
    box.setAttribute('role', 'alert');
    if (error instanceof ApiRequestError) {
      box.append(make('p', '', `${what}: ${error.message}`));
      if (error.hint) box.append(make('p', 'step-error-hint', error.hint));
    } else {
      box.append(make('p', '', `${what}: the runner did not answer.`));
      const hint = make('p', 'step-error-hint');
      hint.append(withCode('Is `npm start` still running? The page reconnects by itself.'));
      box.append(hint);
    }
    this.details.replaceChildren(box);
    this.showOutputArea();
  }

  // ── actions ─────────────────────────────────────────────────────────────────────────────────

  private async run(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.updateButtons();
    this.details.replaceChildren();
    try {
      const { runId } = await runner.json<{ runId: string }>('/api/runs', 'POST', { id: this.id_, hash: this.hash });
      // Quick steps may have started and even ended (events) before this answer arrives.
      if (this.runId !== runId) this.startRun(runId, undefined, false);
    } catch (error) {
      this.showError(error, `Could not run ${this.id_}`);
    } finally {
      this.busy = false;
      this.updateButtons();
    }
  }

  private async runToHere(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.updateButtons();
    this.details.replaceChildren();
    try {
      await runner.json<{ batchId: string }>(`/api/chapters/${encodeURIComponent(this.chapter)}/run`, 'POST', {
        until: this.id_,
      });
    } catch (error) {
      this.showError(error, `Could not run the chapter up to ${this.id_}`);
    } finally {
      this.busy = false;
      this.updateButtons();
    }
  }

  private async cancel(): Promise<void> {
    if (!this.runId || !this.cancelButton || this.cancelButton.getAttribute('aria-busy') === 'true') return;
    this.cancelButton.setAttribute('aria-busy', 'true');
    try {
      await runner.json(`/api/runs/${encodeURIComponent(this.runId)}/cancel`, 'POST', {});
    } catch (error) {
      this.showError(error, this.background ? `Could not stop ${this.id_}` : `Could not cancel ${this.id_}`);
    } finally {
      this.cancelButton.setAttribute('aria-busy', 'false');
    }
  }

  private async toggleTranscript(): Promise<void> {
    if (this.logSource === 'transcript') {
      this.log.element.hidden = !this.log.element.hidden;
      this.syncToggle();
      return;
    }
    this.transcriptToggle.disabled = true;
    try {
      const transcript = await runner.json<Transcript>(`/api/steps/${encodeURIComponent(this.id_)}/transcript`);
      if (this.running) return; // a new run started meanwhile; its live output wins
      this.log.clear();
      for (const chunk of transcript.output) this.log.append(chunk.stream, chunk.text);
      this.log.flush();
      if (this.log.isEmpty) this.log.element.append(make('span', 'out-system', '(no output)\n'));
      this.log.element.hidden = false;
      this.logSource = 'transcript';
      this.runId = transcript.runId;
      const stale = transcript.state.hash !== '' && transcript.state.hash !== this.hash;
      this.details.replaceChildren();
      this.renderResult(transcript.state, transcript.expect, false, stale);
    } catch (error) {
      this.showError(error, `Could not load the last output of ${this.id_}`);
    } finally {
      this.transcriptToggle.disabled = false;
      this.syncToggle();
    }
  }

  private syncToggle(): void {
    const shown = this.logSource === 'transcript' && !this.log.element.hidden;
    this.transcriptToggle.textContent = shown ? 'Hide last output' : 'Show last output';
    this.transcriptToggle.setAttribute('aria-expanded', String(shown));
  }
}

if (!customElements.get('runnable-step')) customElements.define('runnable-step', RunnableStep);
