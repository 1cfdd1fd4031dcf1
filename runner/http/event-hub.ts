/**
 * Server-sent events to the pages: the runner's event bus (../event-bus.ts) written to each open
 * /api/events response. A page subscribes once (optionally for one chapter) and first receives a
 * replay of the runs in progress, so a reload or a second tab re-attaches to them.
 */
import type { ServerResponse } from 'node:http';
import type { RunnerEvent } from '../../contract/protocol.ts';
import type { EventBus } from '../event-bus.ts';

/** Output waiting for one event-stream client; a reading page keeps this near zero. */
const MAX_UNSENT_BYTES = 2 * 1024 * 1024;

interface Client {
  response: ServerResponse;
  chapter?: string;
}

export class EventHub {
  private readonly clients = new Set<Client>();
  private readonly bus: EventBus;
  private readonly chapterOf: (stepId: string) => string | undefined;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(bus: EventBus, chapterOf: (stepId: string) => string | undefined) {
    this.bus = bus;
    this.chapterOf = chapterOf;
    bus.listen((event, seq) => {
      for (const client of this.clients) {
        if (this.wants(client, event)) this.send(client, event, seq);
      }
    });
    bus.onClose(() => this.closeAll());
    // A comment line now and then keeps proxies and idle timeouts from closing the stream.
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) this.write(client, ': keep-alive\n\n');
    }, 15_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  subscribe(response: ServerResponse, chapter: string | undefined, replay: RunnerEvent[]): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    response.socket?.setNoDelay(true); // each line leaves at once, not batched by Nagle
    response.write('retry: 1000\n\n');
    const client: Client = { response, chapter };
    // The replay is bounded (each run keeps at most its output cap) and is written whole.
    for (const event of replay) this.send(client, event, this.bus.seq); // as of now, not news
    this.clients.add(client);
    response.on('close', () => this.clients.delete(client));
  }

  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }

  private wants(client: Client, event: RunnerEvent): boolean {
    if (!client.chapter || !('stepId' in event)) return true;
    return this.chapterOf(event.stepId) === client.chapter;
  }

  private send(client: Client, event: RunnerEvent, seq: number): void {
    this.write(client, `id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  /**
   * A client that does not read (a stalled tab, a hostile script) would make Node buffer every
   * event for it without end: past MAX_UNSENT_BYTES it is dropped. A page that reconnects gets a
   * replay of the runs in progress, so it loses nothing that matters.
   */
  private write(client: Client, text: string): void {
    if (client.response.writableLength > MAX_UNSENT_BYTES) {
      this.clients.delete(client);
      client.response.destroy();
      return;
    }
    client.response.write(text);
  }
}
