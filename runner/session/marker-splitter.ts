/**
 * Separates a kernel's reports from the step output around them, on one stream (stdout or stderr).
 * A report is `\0<nonce> <words>\n`; the nonce is random per kernel and never in a step's
 * environment, so a step cannot forge one by accident. Output passes through as it arrives: only
 * bytes that could be the start of a report are held back until the next chunk tells.
 */
export class MarkerSplitter {
  private readonly prefix: Buffer;
  private pending = Buffer.alloc(0);
  private readonly onData: (data: Buffer) => void;
  private readonly onReport: (words: string[]) => void;

  constructor(nonce: string, onData: (data: Buffer) => void, onReport: (words: string[]) => void) {
    this.prefix = Buffer.from(`\0${nonce} `);
    this.onData = onData;
    this.onReport = onReport;
  }

  push(chunk: Buffer): void {
    let buffer = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    for (;;) {
      const at = buffer.indexOf(this.prefix);
      if (at === -1) break;
      const newline = buffer.indexOf(0x0a, at + this.prefix.length);
      if (newline === -1) {
        if (at > 0) this.onData(buffer.subarray(0, at));
        this.pending = Buffer.from(buffer.subarray(at)); // a report split across chunks
        return;
      }
      if (at > 0) this.onData(buffer.subarray(0, at));
      this.onReport(
        buffer
          .subarray(at + this.prefix.length, newline)
          .toString('utf8')
          .split(' '),
      );
      buffer = buffer.subarray(newline + 1);
    }
    const keep = partialPrefixLength(buffer, this.prefix);
    if (buffer.length > keep) this.onData(buffer.subarray(0, buffer.length - keep));
    if (keep) this.pending = Buffer.from(buffer.subarray(buffer.length - keep));
  }

  /** What was held back, when the stream ends. */
  flush(): void {
    if (this.pending.length) this.onData(this.pending);
    this.pending = Buffer.alloc(0);
  }
}

/** Length of the longest tail of `buffer` that is a proper start of `prefix` (0 mostly: no NUL near the end). */
function partialPrefixLength(buffer: Buffer, prefix: Buffer): number {
  const from = Math.max(0, buffer.length - prefix.length + 1);
  let at = buffer.indexOf(0, from);
  while (at !== -1) {
    const tail = buffer.subarray(at);
    if (prefix.subarray(0, tail.length).equals(tail)) return tail.length;
    at = buffer.indexOf(0, at + 1);
  }
  return 0;
}
