/**
 * The page's one connection to the runner: the token, authenticated `api()` calls, a connection
 * state machine, and one event stream that keeps a live copy of the runner's state.
 *
 *   checking ──▶ absent        no runner answers /api/health (static preview, file://, not started);
 *                              re-checked every few seconds, so starting it later needs no reload
 *            ──▶ unauthorized  a runner answers 401/403: the token is missing or from another start
 *            ──▶ connected     state fetched; events streaming
 */
import { shown } from './runner-messages.ts';
import { TEXT } from './texts.ts';
import { adoptTokenFromUrl, TOKEN_KEY, tokenStorage } from './runner-token.ts';
import type { ApiError, Health, RunnerEvent, RunnerState } from '../../contract/protocol.ts';
import { TOKEN_HEADER } from '../../contract/protocol.ts';

import type { ConnectionState } from './step-model.ts';

export type { ConnectionState };

export interface Subscriber {
  /** Connection state changed (also called once on subscribe). */
  connection?(state: ConnectionState): void;
  /** A fresh /api/state (also called on subscribe, with the last one). */
  state?(state: RunnerState): void;
  /** Every event from the stream, as it arrives, with its number (the SSE id). */
  event?(event: RunnerEvent, seq: number | undefined): void;
  /** The event stream reopened after a drop: the runner replays active runs' output next. */
  reopened?(): void;
}

/** An API answer other than 2xx, with the server's `error` and `hint` when it sent them. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly hint?: string;
  constructor(status: number, body: Partial<ApiError>) {
    super(body.error ? shown(body.msg, body.error) : TEXT.httpStatus(status));
    this.status = status;
    this.hint = shown(body.hintMsg, body.hint);
  }
}

const POLL_MS = 3000;
const EVENT_TYPES: RunnerEvent['type'][] = [
  'run-queued',
  'run-start',
  'output',
  'ready',
  'run-end',
  'services',
  'containers',
  'batch',
  'progress',
  'target',
];

const storage = tokenStorage;

class RunnerConnection {
  connection: ConnectionState = 'checking';
  state: RunnerState | null = null;
  private subscribers = new Set<Subscriber>();
  private source: EventSource | null = null;
  private streamedBefore = false;
  private chapter: string | undefined;
  private started = false;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private checking: Promise<void> | null = null;

  get token(): string {
    return storage()?.getItem(TOKEN_KEY) ?? '';
  }

  /** Starts checking for the runner; later calls only add the chapter whose events to stream. */
  start(chapter?: string): void {
    if (chapter && !this.chapter) {
      this.chapter = chapter;
      if (this.source) this.openEvents(); // reopen with the chapter filter
    }
    if (this.started) return;
    this.started = true;
    window.addEventListener('storage', (e) => {
      if (e.key === TOKEN_KEY) this.check(); // another tab opened the runner's link
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.connection !== 'connected') this.check();
    });
    this.check();
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    subscriber.connection?.(this.connection);
    if (this.state) subscriber.state?.(this.state);
    return () => this.subscribers.delete(subscriber);
  }

  /** fetch() against the runner with the token header. Network failures re-check the connection. */
  async api(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set(TOKEN_HEADER, this.token);
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    try {
      return await fetch(path, { ...init, headers, cache: 'no-store' });
    } catch (error) {
      if (this.connection === 'connected') this.check();
      throw error;
    }
  }

  /** api() for JSON: sends `body` as JSON, returns the parsed answer, throws ApiRequestError otherwise. */
  async json<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
    const response = await this.api(path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = (await response.json().catch(() => ({}))) as T & Partial<ApiError>;
    if (response.status === 401 || response.status === 403) this.setConnection('unauthorized');
    if (!response.ok) throw new ApiRequestError(response.status, parsed);
    return parsed;
  }

  /** Re-fetches /api/state, e.g. after a reset. */
  async refresh(): Promise<void> {
    try {
      this.applyState(await this.json<RunnerState>('/api/state'));
    } catch {
      this.check();
    }
  }

  /** One health check at a time; decides the connection state. */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    clearTimeout(this.pollTimer);
    const next = await this.probe();
    if (next === 'connected') {
      if (!this.source) this.openEvents(); // an open or retrying stream is left alone
    } else {
      this.closeEvents();
      // While absent, poll so that `npm start` later enables the page; while unauthorized, wait
      // for the storage event (the link opened in another tab) or a tab switch, but poll slowly too.
      this.pollTimer = setTimeout(() => this.check(), next === 'absent' ? POLL_MS : POLL_MS * 4);
    }
    this.setConnection(next);
  }

  private async probe(): Promise<ConnectionState> {
    let response: Response;
    try {
      response = await this.api('/api/health');
    } catch {
      return 'absent';
    }
    if (response.status === 401 || response.status === 403) return 'unauthorized';
    const health = (await response.json().catch(() => null)) as Health | null;
    if (!response.ok || !health || health.ok !== true) return 'absent'; // a static server, not ours
    try {
      this.applyState(await this.json<RunnerState>('/api/state'));
      return 'connected';
    } catch (error) {
      const status = error instanceof ApiRequestError ? error.status : 0;
      return status === 401 || status === 403 ? 'unauthorized' : 'absent';
    }
  }

  private setConnection(next: ConnectionState): void {
    if (next === this.connection) return;
    this.connection = next;
    if (next !== 'connected') this.closeEvents();
    for (const s of this.subscribers) s.connection?.(next);
  }

  private openEvents(): void {
    this.closeEvents();
    const query = new URLSearchParams({ token: this.token });
    if (this.chapter) query.set('chapter', this.chapter);
    const source = new EventSource(`/api/events?${query}`);
    this.source = source;

    source.addEventListener('open', () => {
      if (this.streamedBefore) {
        for (const s of this.subscribers) s.reopened?.();
      }
      this.streamedBefore = true;
      // Catch up on what happened while the stream was closed (or before it first opened).
      void this.refresh();
    });
    source.addEventListener('error', () => {
      // CLOSED: the server refused the stream (token, or gone for good). CONNECTING: the browser
      // retries by itself; a health check tells whether the runner is still there.
      if (source !== this.source) return;
      if (source.readyState === EventSource.CLOSED) {
        this.source = null;
        clearTimeout(this.pollTimer);
        this.pollTimer = setTimeout(() => this.check(), 1000); // not at once: no tight reopen loop
      } else {
        this.check();
      }
    });
    const onMessage = (message: MessageEvent<string>) => {
      if (source !== this.source) return;
      let event: RunnerEvent;
      try {
        event = JSON.parse(message.data) as RunnerEvent;
      } catch {
        return;
      }
      if (!event.type && message.type !== 'message') (event as { type: string }).type = message.type;
      const seq = Number.parseInt(message.lastEventId, 10);
      this.applyEvent(event, Number.isNaN(seq) ? undefined : seq);
    };
    source.addEventListener('message', onMessage);
    for (const type of EVENT_TYPES) source.addEventListener(type, onMessage);
  }

  private closeEvents(): void {
    this.source?.close();
    this.source = null;
  }

  /** Adopts a full state, from /api/state or an endpoint that answers with one (PUT /api/target). */
  applyState(state: RunnerState): void {
    this.state = state;
    for (const s of this.subscribers) s.state?.(state);
  }

  /** Hands an event on; what it means for the page is decided by the reducer (step-model.ts). */
  private applyEvent(event: RunnerEvent, seq: number | undefined): void {
    for (const s of this.subscribers) s.event?.(event, seq);
  }
}

adoptTokenFromUrl();

// One connection per page, even if two bundles each import this module.
const key = Symbol.for('tutorial.runner-connection');
const holder = globalThis as unknown as Record<symbol, RunnerConnection | undefined>;
export const runner: RunnerConnection = (holder[key] ??= new RunnerConnection());
