/**
 * A run's output, kept for replay and transcripts up to OUTPUT_CAP_BYTES. Past the cap the rest
 * is counted, not kept (so a step that prints 100 MB costs no memory), and the last few KiB are
 * kept in a ring so the end of the output, usually the error, is still shown.
 */
import { OUTPUT_CAP_BYTES, type OutputStream } from '../api/protocol.ts';

const TAIL_BYTES = 16 * 1024;

export interface Chunk {
  stream: OutputStream;
  text: string;
}

export class OutputLog {
  readonly chunks: Chunk[] = [];
  private kept = 0;
  private dropped = 0;
  private tail = '';
  private readonly cap: number;

  constructor(cap = OUTPUT_CAP_BYTES) {
    this.cap = cap;
  }

  /** Adds output; returns the chunk to forward live, a one-time notice at the cap, or null past it. */
  append(stream: OutputStream, text: string): Chunk | null {
    const size = Buffer.byteLength(text);
    if (this.dropped === 0 && this.kept + size <= this.cap) {
      const chunk = { stream, text };
      this.chunks.push(chunk);
      this.kept += size;
      return chunk;
    }
    const first = this.dropped === 0;
    this.dropped += size;
    this.tail = (this.tail + text).slice(-TAIL_BYTES);
    if (!first) return null;
    const notice = {
      stream: 'system' as const,
      text: `\n[output capped at ${formatBytes(this.cap)}; the rest is counted, and its last lines are shown when the step ends]\n`,
    };
    this.chunks.push(notice);
    return notice;
  }

  /** At the end: the tail of what was dropped, if anything was. */
  finish(): Chunk | null {
    if (this.dropped === 0) return null;
    const tail = this.tail.slice(this.tail.indexOf('\n') + 1);
    const chunk = {
      stream: 'system' as const,
      text: `\n[${formatBytes(this.dropped)} of output not shown; it ended with:]\n${tail}`,
    };
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

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
