/**
 * <session-log>: the runner panel's "Session log", a record of the session to scroll back
 * through after a reload: every run since the last full Reset, oldest first, each with its step
 * (linked), how it ended and what it printed (GET /api/session-log). Loaded when opened, and
 * again when a run ends while it is open. Native <details>, so it is reachable and announced as
 * any disclosure; each run is a list item named by its step.
 */
import { formatDuration } from '../../contract/format.ts';
import type { SessionLog, SessionLogEntry } from '../../contract/protocol.ts';
import { store } from './page-store.ts';
import { ApiRequestError, runner } from './runner-connection.ts';
import { StepLog } from './step-output.ts';
import { LABELS, TEXT } from './texts.ts';

class SessionLogPanel extends HTMLElement {
  private details!: HTMLDetailsElement;
  private list!: HTMLOListElement;
  private note!: HTMLElement;
  private refresh!: HTMLButtonElement;
  private unsubscribe: (() => void) | null = null;
  private ended = '';
  private loading = false;
  /** A run ended while the log was loading: load once more when that load is done. */
  private again = false;

  connectedCallback(): void {
    if (this.unsubscribe) return;
    this.details = this.querySelector('details')!;
    this.list = this.querySelector('ol')!;
    this.note = this.querySelector('.session-log-note')!;
    this.refresh = this.querySelector('.session-log-refresh')!;
    this.details.addEventListener('toggle', () => {
      if (this.details.open) void this.load();
    });
    this.refresh.addEventListener('click', () => void this.load());
    this.unsubscribe = store.subscribe((model) => {
      this.hidden = model.connection !== 'connected';
      // A run that ended while the log is open belongs at its end.
      const key = Object.entries(model.steps)
        .filter(([, s]) => s.phase === 'finished')
        .map(([id, s]) => `${id}:${s.runId}`)
        .join(',');
      if (key !== this.ended) {
        this.ended = key;
        if (this.details.open) void this.load();
      }
    });
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private async load(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    this.setAttribute('aria-busy', 'true');
    if (this.list.childElementCount === 0) this.note.textContent = TEXT.log.loading;
    try {
      const log = await runner.json<SessionLog>('/api/session-log');
      this.render(log);
    } catch (error) {
      const why = error instanceof ApiRequestError ? error.message : TEXT.noAnswer;
      this.note.textContent = `${TEXT.log.couldNot}: ${why}`;
    } finally {
      this.loading = false;
      this.setAttribute('aria-busy', 'false');
    }
    if (this.again) {
      this.again = false;
      await this.load();
    }
  }

  private render(log: SessionLog): void {
    const notes = [log.entries.length === 0 ? TEXT.log.empty : '', log.older ? TEXT.log.older(log.older) : ''];
    this.note.textContent = notes.filter(Boolean).join(' ');
    const first = log.older + 1;
    const key = `${log.older}:${log.entries.map((e) => e.runId).join(',')}`;
    if (this.list.dataset.key === key) return;
    this.list.dataset.key = key;
    this.list.start = first;
    this.list.replaceChildren(...log.entries.map((entry, i) => this.item(entry, first + i)));
  }

  private item(entry: SessionLogEntry, n: number): HTMLLIElement {
    const li = document.createElement('li');
    li.className = 'session-log-entry';
    li.dataset.stepId = entry.stepId;
    li.dataset.status = entry.state.status;
    const name = store.info[entry.stepId]?.name ?? entry.heading ?? entry.stepId;
    li.setAttribute('aria-label', TEXT.log.entryLabel(n, name));

    const head = document.createElement('p');
    head.className = 'session-log-head';
    const link = document.createElement('a');
    link.href = this.stepHref(entry);
    link.textContent = name;
    const status = document.createElement('span');
    status.className = 'step-status session-log-status'; // the steps' own badge colours
    status.dataset.status = entry.state.already ? 'already' : entry.state.status;
    const glyph = document.createElement('span');
    glyph.className = 'step-glyph';
    glyph.setAttribute('aria-hidden', 'true');
    status.append(glyph, entry.state.already ? TEXT.alreadyDone : TEXT.result[entry.state.status]);
    const facts = [
      this.chapterTitle(entry.chapter),
      entry.state.durationMs !== null ? formatDuration(entry.state.durationMs) : '',
      new Date(entry.state.at).toLocaleTimeString(document.documentElement.lang || undefined),
    ].filter(Boolean);
    const meta = document.createElement('span');
    meta.className = 'session-log-meta';
    meta.textContent = facts.join(' · ');
    head.append(link, ' ', status, ' ', meta);
    li.append(head);
    if (entry.state.message && entry.state.status !== 'ok') {
      const why = document.createElement('p');
      why.className = 'session-log-message';
      why.textContent = entry.state.message;
      li.append(why);
    }

    // A skipped run printed nothing and its message says why: no empty box under it.
    if (entry.output.length === 0 && entry.state.status === 'skipped') return li;
    const pre = document.createElement('pre');
    pre.className = 'step-log session-log-output';
    pre.tabIndex = 0; // a scrolling region must be reachable by keyboard
    pre.setAttribute('aria-label', LABELS.output(name));
    const log = new StepLog(pre);
    entry.output.forEach((chunk, i) => {
      if (entry.omitted?.at === i)
        log.append('system', `\n${TEXT.log.omitted(Math.ceil(entry.omitted.bytes / 1024))}\n`);
      log.append(chunk.stream, chunk.text);
    });
    if (entry.output.length === 0) log.append('system', TEXT.log.noOutput);
    log.flush();
    li.append(pre);
    return li;
  }

  /** The step on its chapter's page; chapters are siblings under the language's root. */
  private stepHref(entry: SessionLogEntry): string {
    const anchor = `#step-${entry.stepId}`;
    return entry.chapter === this.dataset.chapter ? anchor : `../${entry.chapter}/${anchor}`;
  }

  private chapterTitle(id: string): string {
    try {
      const titles = JSON.parse(this.dataset.chapterTitles ?? '{}') as Record<string, string>;
      return titles[id] ?? id;
    } catch {
      return id;
    }
  }
}

if (!customElements.get('session-log')) customElements.define('session-log', SessionLogPanel);
