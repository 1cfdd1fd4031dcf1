/**
 * A run's output, kept for replay and transcripts up to OUTPUT_CAP_BYTES. Past the cap the rest
 * is counted, not kept (so a step that prints 100 MB costs no memory), and the last few KiB are
 * kept in a ring so the end of the output, usually the error, is still shown.
 *
 * A service's log is different: the learner watches it live for as long as the server runs, so
 * past the cap it still goes to the page; only the replay stops growing.
 */
import { english, say, type Message } from '../../contract/messages.ts';
import { formatBytes } from '../../contract/format.ts';
import { OUTPUT_CAP_BYTES, type OutputStream } from '../../contract/protocol.ts';

const TAIL_BYTES = 16 * 1024;

export interface Chunk {
  stream: OutputStream;
  text: string;
  /** A notice of the log's own, as a code for the page (contract/messages.ts). */
  msg?: Message;
}

export class OutputLog {
  readonly chunks: Chunk[] = [];
  private kept = 0;
  private dropped = 0;
  private tail = '';
  private readonly cap: number;
  private readonly live: boolean;

  /** `live`: past the cap, keep forwarding output (a service's log) instead of only counting it. */
  constructor(options: { cap?: number; live?: boolean } = {}) {
    this.cap = options.cap ?? OUTPUT_CAP_BYTES;
    this.live = options.live ?? false;
  }

  /** Adds output; returns what to forward to the page now (the chunk, a one-time notice, or nothing). */
  append(stream: OutputStream, text: string): Chunk[] {
    const size = Buffer.byteLength(text);
    if (this.dropped === 0 && this.kept + size <= this.cap) {
      const chunk = { stream, text };
      this.chunks.push(chunk);
      this.kept += size;
      return [chunk];
    }
    const first = this.dropped === 0;
    this.dropped += size;
    if (!this.live) this.tail = (this.tail + text).slice(-TAIL_BYTES);
    const forward = this.live ? [{ stream, text }] : [];
    if (!first) return forward;
    const said = say(this.live ? 'output.live-only' : 'output.capped', { size: formatBytes(this.cap) });
    const notice = { stream: 'system' as const, text: `\n${english(said)}\n`, msg: said };
    this.chunks.push(notice);
    return [notice, ...forward];
  }

  /** At the end: the tail of what was dropped, if anything was (a live log was seen whole). */
  finish(): Chunk | null {
    if (this.dropped === 0 || this.live) return null;
    const tail = this.tail.slice(this.tail.indexOf('\n') + 1);
    const said = say('output.not-shown', { size: formatBytes(this.dropped) });
    const chunk = { stream: 'system' as const, text: `\n${english(said)}\n${tail}`, msg: said };
    this.chunks.push(chunk);
    return chunk;
  }

  /** Everything kept, as one string (for expected-output checks). */
  text(): string {
    return (
      this.chunks
        .filter((c) => c.stream !== 'system')
        .map((c) => c.text)
        .join('') + (this.dropped ? this.tail : '')
    );
  }
}
