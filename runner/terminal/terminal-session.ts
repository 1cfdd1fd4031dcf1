/**
 * One live terminal: a shell in a pty on a target (pty-relay.py), kept by the runner while pages
 * come and go. Every attached page sees the same output and may type; a page that attaches later
 * (a reload, a second tab) first gets the scrollback.
 *
 *   (none) ──first attach──► running ──the shell exits──► ended (pages told; the next attach
 *                               │                                   starts a new shell)
 *                               └── close() (target switched, runner stops) ──► ended
 */
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { Scrollback } from './scrollback.ts';

/** What a page's connection offers the session. */
export interface TerminalClient {
  output(data: Buffer): void;
  ended(message: string): void;
}

export interface TerminalSize {
  rows: number;
  cols: number;
}

/** Bytes of output kept for a page that attaches later. */
export const SCROLLBACK_BYTES = 256 * 1024;

export class TerminalSession {
  private readonly clients = new Set<TerminalClient>();
  private readonly scrollback = new Scrollback(SCROLLBACK_BYTES);
  private readonly child: ChildProcess;
  private readonly control: Writable | undefined;
  private readonly onEnd: () => void;
  private ending?: string;
  ended = false;

  /** `child` is pty-relay.py: stdin in, stdout out, fd 3 control, stderr for its own failures. */
  constructor(child: ChildProcess, onEnd: () => void) {
    this.child = child;
    this.onEnd = onEnd;
    this.control = child.stdio[3] as Writable | undefined;
    this.control?.on('error', () => {});
    child.stdin?.on('error', () => {});
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.stdout?.on('data', (chunk: Buffer) => {
      this.scrollback.push(chunk);
      for (const client of this.clients) client.output(chunk);
    });
    child.once('error', (error) => this.finish(`the terminal could not start: ${error.message}`));
    child.once('close', (code, signal) => {
      const why = stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : '';
      this.finish(this.ending ?? `the shell ended (${signal ?? `exit code ${code}`})${why}`);
    });
  }

  attach(client: TerminalClient): () => void {
    const replay = this.scrollback.contents();
    if (replay.length) client.output(replay);
    if (this.ended) {
      client.ended(this.ending ?? 'the shell ended');
      return () => {};
    }
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  input(text: string): void {
    if (!this.ended) this.child.stdin?.write(text);
  }

  resize(size: TerminalSize): void {
    if (!this.ended) this.control?.write(`${size.rows} ${size.cols}\n`);
  }

  /** Hangs up the shell (its stdin closes; pty-relay closes the terminal). */
  close(message: string): void {
    this.ending ??= message;
    this.child.stdin?.end();
  }

  private finish(message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.ending = message; // what a page that attaches from now on is told
    for (const client of this.clients) client.ended(message);
    this.clients.clear();
    this.onEnd();
  }
}
