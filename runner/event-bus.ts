/**
 * The runner's events, numbered, to whoever listens: the HTTP edge's event streams (http/event-hub.ts),
 * `npm run verify`, and the app itself. Nothing here knows about HTTP, so every layer that publishes
 * sits below the edge that sends the events to pages.
 */
import type { RunnerEvent } from '../contract/protocol.ts';

/** Called for every event, with its number (what a page sees as the SSE `id:`). */
export type EventListener = (event: RunnerEvent, seq: number) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly closers = new Set<() => void>();
  /**
   * Numbers every published event; /api/state says up to which number it is current, so a page
   * that gets a state after newer events can tell it is older than them.
   */
  private counter = 0;

  /** The number of the last published event. */
  get seq(): number {
    return this.counter;
  }

  /** Returns the unsubscribe function. */
  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: RunnerEvent): void {
    const seq = ++this.counter;
    for (const listener of this.listeners) listener(event, seq);
  }

  /** `then` runs when the runner shuts down (an event stream ends its responses). */
  onClose(then: () => void): void {
    this.closers.add(then);
  }

  close(): void {
    for (const then of this.closers) then();
    this.closers.clear();
  }
}
