/**
 * <chapter-toolbar>: the runner panel under a chapter's title (PageTitle.astro renders all of it).
 * Renders toolbar-display.ts from the page model: connection, target, progress, Run all with
 * Continue at checkpoints, running services and containers with their links (toolbar-services.ts),
 * Reset, and the chapter's one polite live region.
 */
import { shown as inPageLanguage } from './runner-messages.ts';
import type { TargetInfo } from '../../contract/protocol.ts';
import { store } from './page-store.ts';
import { ApiRequestError, runner } from './runner-connection.ts';
import type { PageModel, StepView } from './step-model.ts';
import { toolbarDisplay } from './toolbar-display.ts';
import { renderServiceList } from './toolbar-services.ts';
import { TEXT } from './texts.ts';
import { rich, withCode } from './ui-text.ts';

/** Replaces the text only when it changed. */
function setRich(el: HTMLElement, text: string): void {
  if (el.dataset.text === text) return;
  el.dataset.text = text;
  el.replaceChildren(rich(text));
}

function q<T extends Element>(root: Element, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`chapter-toolbar: missing ${selector}`);
  return el;
}

class ChapterToolbar extends HTMLElement {
  private chapter = '';
  private unsubscribe: (() => void) | null = null;
  private announced = 0;

  private status!: HTMLElement;
  private statusText!: HTMLElement;
  private profile!: HTMLElement;
  private controls!: HTMLElement;
  private target!: HTMLSelectElement;
  private runAll!: HTMLButtonElement;
  private cancelAll!: HTMLButtonElement;
  private continueButton!: HTMLButtonElement;
  private stopHere!: HTMLButtonElement;
  private reset!: HTMLButtonElement;
  private resetChapter!: HTMLButtonElement;
  private progress!: HTMLProgressElement;
  private progressText!: HTMLElement;
  private batch!: HTMLElement;
  private services!: HTMLElement;
  private servicesList!: HTMLUListElement;
  private task!: HTMLElement;
  private taskBar!: HTMLProgressElement;
  private error!: HTMLElement;
  private announce!: HTMLElement;

  connectedCallback(): void {
    if (this.unsubscribe) return;
    this.chapter = this.dataset.chapter ?? '';
    this.status = q(this, '.toolbar-status');
    this.statusText = q(this, '.toolbar-status-text');
    this.profile = q(this, '.toolbar-profile');
    this.controls = q(this, '.toolbar-controls');
    this.target = q(this, '.toolbar-target select');
    this.runAll = q(this, '.toolbar-run-all');
    this.cancelAll = q(this, '.toolbar-cancel');
    this.continueButton = q(this, '.toolbar-continue');
    this.stopHere = q(this, '.toolbar-stop-here');
    this.reset = q(this, '.toolbar-reset');
    this.resetChapter = q(this, '.toolbar-reset-chapter');
    this.progress = q(this, '.toolbar-progress progress');
    this.progressText = q(this, '.toolbar-progress-text');
    this.batch = q(this, '.toolbar-batch');
    this.services = q(this, '.toolbar-services');
    this.servicesList = q(this, '.toolbar-services ul');
    this.task = q(this, '.toolbar-task-text');
    this.taskBar = q(this, '.toolbar-task progress');
    this.error = q(this, '.toolbar-error');
    this.announce = q(this, '.toolbar-announce');

    this.target.addEventListener('change', () => void this.switchTarget(this.target.value as TargetInfo['name']));
    this.runAll.addEventListener('click', () => void this.post(TEXT.toolbar.couldNot.run, 'run', this.runAll));
    this.cancelAll.addEventListener('click', () => void this.cancelBatch());
    this.continueButton.addEventListener(
      'click',
      () => void this.post(TEXT.toolbar.couldNot.continue, 'continue', this.continueButton),
    );
    this.stopHere.addEventListener(
      'click',
      () => void this.post(TEXT.toolbar.couldNot.continue, 'continue', this.stopHere, { stop: true }),
    );
    this.reset.addEventListener('click', () => void this.resetAll());
    this.resetChapter.addEventListener('click', () => void this.resetThisChapter());

    store.start(this.chapter);
    this.unsubscribe = store.subscribe((model) => this.render(model));
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  // ── rendering ───────────────────────────────────────────────────────────────────────────────

  private render(model: PageModel): void {
    const connected = model.connection === 'connected';
    this.status.dataset.connection = model.connection;
    this.controls.hidden = !connected;
    this.profile.hidden = !connected || model.target?.profile !== 'offline';
    const line = TEXT.toolbar.connection[model.connection];
    setRich(
      this.statusText,
      connected && model.target
        ? `${line} ${TEXT.toolbar.target(inPageLanguage(model.target.descriptionMsg, model.target.description))}`
        : line,
    );
    if (connected && model.target) {
      if (this.target.value !== model.target.name) this.target.value = model.target.name;
      if (model.target.profile === 'offline') {
        // The runner's reason reads "offline because …"; the label already says "offline".
        const reason =
          inPageLanguage(model.target.profileReasonMsg, model.target.profileReason)?.replace(/^offline because /, '') ??
          '';
        setRich(this.profile, TEXT.toolbar.offline(reason));
      }
    }

    const shown = toolbarDisplay(connected ? model : this.lastKnownModel(model), store.info, this.chapter, !connected);
    this.progress.max = shown.total;
    this.progress.value = shown.passed;
    this.progressText.textContent = shown.progressText;

    const focused = document.activeElement;
    this.runAll.setAttribute('aria-disabled', String(Boolean(model.batch)));
    this.runAll.textContent = shown.mine ? TEXT.toolbar.running : TEXT.toolbar.runAll;
    this.cancelAll.hidden = !shown.mine || shown.paused;
    const cancelLabel = model.batch?.stage ? TEXT.toolbar.cancelStageLabel : TEXT.toolbar.cancelAllLabel;
    if (this.cancelAll.getAttribute('aria-label') !== cancelLabel)
      this.cancelAll.setAttribute('aria-label', cancelLabel);
    this.continueButton.hidden = !shown.paused;
    this.stopHere.hidden = !shown.paused;
    if (focused === this.cancelAll && this.cancelAll.hidden) (shown.paused ? this.continueButton : this.runAll).focus();
    if (focused === this.continueButton && this.continueButton.hidden) this.runAll.focus();
    setRich(this.batch, shown.batchLine);

    this.task.textContent = shown.taskLine ?? '';
    this.taskBar.hidden = !shown.taskBar;
    if (shown.taskBar) {
      this.taskBar.max = shown.taskBar.total;
      this.taskBar.value = shown.taskBar.done;
    }

    renderServiceList(this.servicesList, this.services, connected ? model : null, (what, action) =>
      this.call(what, action),
    );
    if (model.announcement && model.announcement.seq !== this.announced) {
      this.announced = model.announcement.seq;
      this.announce.textContent = model.announcement.text;
    }
  }

  /** Without a runner: the statuses last seen, for the progress bar only. */
  private lastKnownModel(model: PageModel): PageModel {
    const steps: Record<string, StepView> = {};
    for (const [id, st] of Object.entries(store.readLastKnown())) {
      steps[id] = {
        phase: 'finished',
        runId: st.runId,
        output: [],
        state: {
          status: st.status as NonNullable<StepView['state']>['status'],
          runId: st.runId,
          exitCode: null,
          durationMs: null,
          at: st.at,
          hash: st.hash,
        },
      };
    }
    return { ...model, steps, batch: undefined, batchEnd: undefined };
  }

  // ── actions ─────────────────────────────────────────────────────────────────────────────────

  private async call(what: string, action: () => Promise<unknown>): Promise<boolean> {
    this.error.replaceChildren();
    try {
      await action();
      return true;
    } catch (error) {
      const message =
        error instanceof ApiRequestError
          ? `${what}: ${error.message}${error.hint ? ` ${error.hint}` : ''}`
          : `${what}: ${TEXT.noAnswer}`;
      this.error.replaceChildren(withCode(message));
      return false;
    }
  }

  private async post(what: string, action: 'run' | 'continue', by: HTMLButtonElement, body = {}): Promise<void> {
    if (by.getAttribute('aria-disabled') === 'true' || by.getAttribute('aria-busy') === 'true') return;
    by.setAttribute('aria-busy', 'true');
    await this.call(what, () =>
      runner.json(`/api/chapters/${encodeURIComponent(this.chapter)}/${action}`, 'POST', body),
    );
    by.setAttribute('aria-busy', 'false');
  }

  private async switchTarget(name: TargetInfo['name']): Promise<void> {
    // Services belong to the target they run on: switching stops them, so ask first.
    const running = store.model.services.map((s) => store.info[s.stepId]?.name ?? s.stepId);
    if (running.length > 0 && !confirm(TEXT.toolbar.switchConfirm(name, running.join(', ')))) {
      this.target.value = store.model.target?.name ?? 'lab';
      return;
    }
    this.target.disabled = true;
    await this.call(TEXT.toolbar.couldNot.switch, async () => {
      runner.applyState(await runner.json('/api/target', 'PUT', { name }));
    });
    this.target.disabled = false;
  }

  /** Ends Run all, or the setting of the stage (whose step belongs to another chapter's page). */
  private async cancelBatch(): Promise<void> {
    if (!store.model.batch) return;
    await this.call(TEXT.toolbar.couldNot.cancel, () =>
      runner.json(`/api/chapters/${encodeURIComponent(this.chapter)}/cancel`, 'POST', {}),
    );
  }

  private async resetThisChapter(): Promise<void> {
    if (!window.confirm(TEXT.toolbar.resetChapterConfirm(this.dataset.title ?? this.chapter))) return;
    this.resetChapter.disabled = true;
    await this.call(TEXT.toolbar.couldNot.resetChapter, () =>
      runner.json(`/api/chapters/${encodeURIComponent(this.chapter)}/reset`, 'POST', {}),
    );
    this.resetChapter.disabled = false;
    void runner.refresh();
  }

  private async resetAll(): Promise<void> {
    if (!window.confirm(TEXT.toolbar.resetConfirm)) return;
    this.reset.disabled = true;
    this.task.textContent = TEXT.toolbar.resetStarting;
    await this.call(TEXT.toolbar.couldNot.reset, () => runner.json('/api/reset', 'POST', {}));
    this.reset.disabled = false;
    void runner.refresh();
  }
}

if (!customElements.get('chapter-toolbar')) customElements.define('chapter-toolbar', ChapterToolbar);
