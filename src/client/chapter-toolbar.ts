/**
 * <chapter-toolbar>: the runner panel under a chapter's title (see PageTitle.astro). The static
 * HTML says how to start the runner; this script turns it into the live panel: connection status,
 * target, progress, Run all, running services and Reset.
 */
import type { ContainerInfo, RunnerEvent, RunnerState, ServiceInfo, TargetInfo } from '../../contract/protocol.ts';
import { ApiRequestError, readLastKnown, runner, type ConnectionState } from './runner-connection.ts';
import { rich, withCode } from './ui-text.ts';

type Hashes = Record<string, string>;

const STATUS_LINES: Record<ConnectionState, string> = {
  checking: 'Looking for the runner…',
  absent:
    '**Runner not running.** Start it with `npm start` in the project folder and open the link it prints; this page picks it up by itself.',
  unauthorized:
    '**Runner found, but this page has no valid token.** Open the link with the token that `npm start` printed.',
  connected: '**Runner connected.**',
};

/** "stopped at yaml-x: exit code 1" → "Stopped at `yaml-x`: exit code 1" (the runner's message, if any). */
function stoppedNote(current: string | undefined, message: string | undefined): string {
  const where = current ? `Stopped at \`${current}\`` : 'Stopped';
  if (!message) return `${where}.`;
  const text = current ? message.replace(new RegExp(`^stopped at ${current}:\\s*`, 'i'), '') : message;
  if (text === message && /^stopped/i.test(message)) return message.charAt(0).toUpperCase() + message.slice(1);
  return `${where}: ${text}`;
}

/** Replaces the text only when it changed, so live regions announce news, not repeats. */
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
  private hashes: Hashes = {};
  private connection: ConnectionState = 'checking';
  private batchNote = '';
  /** `until` of this chapter's batch while it runs, for the message when it ends. */
  private batchUntil: string | undefined;
  private unsubscribe: (() => void) | null = null;

  private status!: HTMLElement;
  private statusText!: HTMLElement;
  private profile!: HTMLElement;
  private controls!: HTMLElement;
  private target!: HTMLSelectElement;
  private runAll!: HTMLButtonElement;
  private cancelAll!: HTMLButtonElement;
  private reset!: HTMLButtonElement;
  private progressRow!: HTMLElement;
  private progress!: HTMLProgressElement;
  private progressText!: HTMLElement;
  private batch!: HTMLElement;
  private services!: HTMLElement;
  private servicesList!: HTMLUListElement;
  private task!: HTMLElement;
  private error!: HTMLElement;

  connectedCallback(): void {
    if (this.unsubscribe) return;
    this.chapter = this.dataset.chapter ?? '';
    try {
      this.hashes = JSON.parse(this.dataset.steps ?? '{}') as Hashes;
    } catch {
      this.hashes = {};
    }
    this.status = q(this, '.toolbar-status');
    this.statusText = q(this, '.toolbar-status-text');
    this.profile = q(this, '.toolbar-profile');
    this.controls = q(this, '.toolbar-controls');
    this.target = q(this, '.toolbar-target select');
    this.runAll = q(this, '.toolbar-run-all');
    this.cancelAll = q(this, '.toolbar-cancel');
    this.reset = q(this, '.toolbar-reset');
    this.progressRow = q(this, '.toolbar-progress');
    this.progress = q(this, '.toolbar-progress progress');
    this.progressText = q(this, '.toolbar-progress-text');
    this.batch = q(this, '.toolbar-batch');
    this.services = q(this, '.toolbar-services');
    this.servicesList = q(this, '.toolbar-services ul');
    this.task = q(this, '.toolbar-task');
    this.error = q(this, '.toolbar-error');

    this.target.addEventListener('change', () => void this.switchTarget(this.target.value as TargetInfo['name']));
    this.runAll.addEventListener('click', () => void this.runChapter());
    this.cancelAll.addEventListener('click', () => void this.cancelBatch());
    this.reset.addEventListener('click', () => void this.resetAll());
    this.progressRow.hidden = false;

    runner.start(this.chapter);
    this.unsubscribe = runner.subscribe({
      connection: (state) => this.onConnection(state),
      state: (state) => this.render(state),
      event: (event) => this.onEvent(event),
    });
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onConnection(state: ConnectionState): void {
    this.connection = state;
    this.status.dataset.connection = state;
    setRich(this.statusText, STATUS_LINES[state]);
    const connected = state === 'connected';
    this.controls.hidden = !connected;
    if (!connected) {
      this.profile.hidden = true;
      this.services.hidden = true;
    }
    this.render(connected ? runner.state : null);
  }

  private onEvent(event: RunnerEvent): void {
    if (event.type === 'batch' && event.chapter === this.chapter) {
      const until = this.batchUntil;
      if (event.state === 'done')
        this.batchNote = until ? `Finished: ran the steps up to \`${until}\`.` : 'Finished: all steps ran.';
      if (event.state === 'stopped') this.batchNote = stoppedNote(event.current, event.message);
      if (event.state === 'running') this.batchNote = '';
    }
    if (event.type === 'progress') {
      const what = { reset: 'Reset', provision: 'Preparing images', lab: 'Lab container' }[event.task];
      setRich(this.task, `${what}: ${event.message}`);
      if (event.total) {
        // A bar for long work such as building the offline images (a minute or two the first time).
        const bar = document.createElement('progress');
        bar.max = event.total;
        bar.value = event.done ?? 0;
        bar.setAttribute('aria-label', `${what}: ${Math.round(((event.done ?? 0) / event.total) * 100)}%`);
        this.task.append(' ', bar);
        delete this.task.dataset.text; // the bar is not in the text: redraw on the next event
      }
      if (event.task === 'reset') void runner.refresh();
    }
  }

  // ── rendering ───────────────────────────────────────────────────────────────────────────────

  private render(state: RunnerState | null): void {
    this.renderProgress(state);
    if (!state || this.connection !== 'connected') return;

    const target = state.target;
    setRich(this.statusText, `${STATUS_LINES.connected} Target: ${target.description}.`);
    if (this.target.value !== target.name) this.target.value = target.name;
    this.profile.hidden = target.profile !== 'offline';
    if (target.profile === 'offline') {
      // The runner's reason reads "offline because …"; the label already says "offline".
      const reason =
        target.profileReason?.replace(/^offline because /, '') ?? 'stand-in images built from Debian packages';
      setRich(this.profile, `**Offline profile:** ${reason}.`);
    }

    const batch = state.batch;
    const mine = batch?.chapter === this.chapter;
    const focused = document.activeElement;
    this.runAll.disabled = Boolean(batch);
    this.cancelAll.hidden = !mine;
    // Keep keyboard focus on whichever of Run all / Cancel is usable.
    if (focused === this.runAll && this.runAll.disabled && !this.cancelAll.hidden) this.cancelAll.focus();
    if (focused === this.cancelAll && this.cancelAll.hidden) this.runAll.focus();
    this.runAll.textContent = mine ? 'Running…' : 'Run all';
    let line = this.batchNote;
    if (batch && mine) {
      this.batchUntil = batch.until;
      const scope = batch.until ? `up to \`${batch.until}\`` : 'all steps';
      line = `Running ${scope}${batch.current ? `; now at \`${batch.current}\`` : ''}.`;
    } else if (batch) {
      line = `Another chapter (\`${batch.chapter}\`) is running its steps; Run all is available when it finishes.`;
    }
    setRich(this.batch, line);

    this.renderServices(state.services, state.containers ?? []);
  }

  private renderProgress(state: RunnerState | null): void {
    const ids = Object.keys(this.hashes);
    const live = state !== null && this.connection === 'connected';
    const statuses = live ? state.steps : (readLastKnown()?.steps ?? {});
    const done = ids.filter((id) => {
      const st = statuses[id];
      return st && (st.status === 'ok' || st.status === 'skipped') && st.hash === this.hashes[id];
    }).length;
    this.progress.max = ids.length;
    this.progress.value = done;
    const suffix = live || done === 0 ? '' : ' (last known; the runner is not connected)';
    this.progressText.textContent = `${done} of ${ids.length} steps done${suffix}`;
  }

  private renderServices(services: ServiceInfo[], containers: ContainerInfo[]): void {
    this.services.hidden = services.length === 0 && containers.length === 0;
    this.servicesList.replaceChildren(
      ...containers.map((container) => this.containerItem(container)),
      ...services.map((service) => {
        const item = document.createElement('li');
        const id = document.createElement('code');
        id.textContent = service.stepId;
        item.append(id);
        const href = service.url ?? (service.port ? `http://127.0.0.1:${service.port}/` : '');
        if (href) {
          const link = document.createElement('a');
          link.href = href;
          link.target = '_blank';
          link.rel = 'noopener';
          link.textContent = href.replace(/^https?:\/\//, '').replace(/\/$/, '');
          item.append(' ', link);
        }
        const state = document.createElement('span');
        state.className = 'service-state';
        state.dataset.state = service.state;
        state.textContent = service.state;
        const stop = document.createElement('button');
        stop.type = 'button';
        stop.className = 'service-stop';
        stop.textContent = 'Stop';
        stop.setAttribute('aria-label', `Stop ${service.stepId} (running services)`);
        stop.addEventListener('click', () => void this.stopService(service, stop));
        item.append(' ', state, ' ', stop);
        return item;
      }),
    );
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
          : `${what}: the runner did not answer.`;
      this.error.replaceChildren(withCode(message));
      return false;
    }
  }

  private async switchTarget(name: TargetInfo['name']): Promise<void> {
    // Services belong to the target they run on: switching stops them, so ask first.
    const running = runner.state?.services.map((s) => s.stepId) ?? [];
    if (running.length > 0 && !confirm(`Switching to the ${name} target stops ${running.join(', ')}. Switch?`)) {
      this.target.value = runner.state!.target.name;
      return;
    }
    this.target.disabled = true;
    await this.call('Could not switch the target', async () => {
      runner.applyState(await runner.json<RunnerState>('/api/target', 'PUT', { name }));
    });
    this.target.disabled = false;
    if (runner.state) this.target.value = runner.state.target.name;
  }

  private async runChapter(): Promise<void> {
    if (this.runAll.getAttribute('aria-busy') === 'true') return;
    this.runAll.setAttribute('aria-busy', 'true');
    this.batchNote = '';
    await this.call('Could not run the chapter', () =>
      runner.json(`/api/chapters/${encodeURIComponent(this.chapter)}/run`, 'POST', {}),
    );
    this.runAll.setAttribute('aria-busy', 'false');
  }

  private async cancelBatch(): Promise<void> {
    const state = runner.state;
    const current = state?.batch?.current;
    const active = state?.active.find((a) => a.stepId === current) ?? state?.active[0];
    if (!active) return;
    await this.call('Could not cancel', () =>
      runner.json(`/api/runs/${encodeURIComponent(active.runId)}/cancel`, 'POST', {}),
    );
  }

  /** A container a step started with `docker run -d`: it outlives the step, so it is listed here too. */
  private containerItem(container: ContainerInfo): HTMLLIElement {
    const item = document.createElement('li');
    const name = document.createElement('code');
    name.textContent = container.name;
    item.append('container ', name, ` (${container.image})`);
    for (const port of container.hostPorts) {
      const link = document.createElement('a');
      link.href = `http://127.0.0.1:${port}/`;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = `127.0.0.1:${port}`;
      item.append(' ', link);
    }
    const stop = document.createElement('button');
    stop.type = 'button';
    stop.className = 'service-stop';
    stop.textContent = 'Stop';
    stop.setAttribute('aria-label', `Stop container ${container.name} (running services)`);
    stop.addEventListener('click', () => {
      stop.disabled = true;
      void this.call(`Could not stop ${container.name}`, () =>
        runner.json(`/api/containers/${encodeURIComponent(container.name)}/stop`, 'POST', {}),
      ).then((ok) => (stop.disabled = ok));
    });
    item.append(' ', stop);
    return item;
  }

  private async stopService(service: ServiceInfo, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    const ok = await this.call(`Could not stop ${service.stepId}`, () =>
      runner.json(`/api/runs/${encodeURIComponent(service.runId)}/cancel`, 'POST', {}),
    );
    if (!ok) button.disabled = false;
  }

  private async resetAll(): Promise<void> {
    const sure = window.confirm(
      'Reset the tutorial?\n\nThis stops every running step and service, removes the tutorial’s Docker containers and images, and empties the workspace folder. Your progress on every chapter starts over.',
    );
    if (!sure) return;
    this.reset.disabled = true;
    this.batchNote = '';
    setRich(this.task, 'Reset: starting…');
    await this.call('Could not reset', () => runner.json('/api/reset', 'POST', {}));
    this.reset.disabled = false;
    void runner.refresh();
  }
}

if (!customElements.get('chapter-toolbar')) customElements.define('chapter-toolbar', ChapterToolbar);
