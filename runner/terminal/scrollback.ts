/**
 * What the terminal showed lately, kept by the runner so a reloaded page (or a second tab) can
 * replay it: the last `limit` bytes of output, cut at a line start where one is near, so the
 * replay does not begin inside an escape sequence or a multi-byte character.
 */
export class Scrollback {
  private chunks: Buffer[] = [];
  private size = 0;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size <= this.limit) return;
    let all = Buffer.concat(this.chunks);
    all = all.subarray(all.length - this.limit);
    // Up to a few lines are given up for a clean start; a screen without newlines is kept as is.
    const newline = all.indexOf(0x0a);
    if (newline !== -1 && newline < Math.min(all.length - 1, 4096)) all = all.subarray(newline + 1);
    this.chunks = [Buffer.from(all)];
    this.size = all.length;
  }

  /** Everything kept, oldest first. */
  contents(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
