/** A live subscription to the runner's /api/events, for tests that wait on what it reports. */
import type { RunnerEvent } from '../../contract/protocol.ts';

/** Collects every event of one subscription. */
export class EventTap {
  readonly received: RunnerEvent[] = [];
  readonly opened: Promise<void>;
  private readonly controller = new AbortController();
  private waiters: { test: (e: RunnerEvent) => boolean; resolve: (e: RunnerEvent) => void }[] = [];
  /** Arrival times (performance.now()) per event, for latency checks. */
  readonly arrivals: number[] = [];

  constructor(url: string) {
    this.opened = fetch(url, { signal: this.controller.signal }).then((response) => {
      if (response.status !== 200) throw new Error(`events: ${response.status}`);
      void this.read(response.body!);
    });
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as RunnerEvent;
          this.received.push(event);
          this.arrivals.push(performance.now());
          this.waiters = this.waiters.filter((w) => (w.test(event) ? (w.resolve(event), false) : true));
        }
      }
    } catch {
      // closed
    }
  }

  waitFor(test: (e: RunnerEvent) => boolean, timeoutMs = 30_000): Promise<RunnerEvent> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no matching event within ${timeoutMs}ms; got ${this.received.map((e) => e.type).join(',')}`),
          ),
        timeoutMs,
      );
      this.waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  /** What a run printed, optionally from one stream only. */
  output(runId: string, stream?: 'stdout' | 'stderr' | 'system'): string {
    return this.received
      .filter(
        (e): e is Extract<RunnerEvent, { type: 'output' }> =>
          e.type === 'output' && e.runId === runId && (!stream || e.stream === stream),
      )
      .map((e) => e.text)
      .join('');
  }

  close() {
    this.controller.abort();
  }
}
