/**
 * The log of one run as the page shows it: ANSI colours turned into HTML, each stream styled,
 * carriage-return progress lines collapsed, appends batched per frame, and auto-scroll that stops
 * once the reader scrolls up.
 */
import { AnsiUp } from 'ansi_up';
import type { OutputStream } from '../../contract/protocol.ts';

const NEAR_BOTTOM_PX = 24;

export class StepLog {
  readonly element: HTMLPreElement;
  private converters = new Map<OutputStream, AnsiUp>();
  private pending: { stream: OutputStream; text: string }[] = [];
  private frame = 0;
  private followTail = true;

  /** `element`: the server-rendered <pre class="step-log"> (focusable, named, not a live region). */
  constructor(element: HTMLPreElement) {
    this.element = element;
    this.element.hidden = true;
    this.element.addEventListener('scroll', () => {
      const el = this.element;
      this.followTail = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    });
  }

  get isEmpty(): boolean {
    return this.pending.length === 0 && this.element.childNodes.length === 0;
  }

  clear(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = [];
    this.converters.clear();
    this.element.replaceChildren();
    this.element.hidden = true;
    this.followTail = true;
  }

  append(stream: OutputStream, text: string): void {
    if (!text) return;
    this.pending.push({ stream, text });
    this.frame ||= requestAnimationFrame(() => this.flush());
  }

  /** Writes pending output now (before a summary is shown under it, for instance). */
  flush(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.pending.length === 0) return;
    const fragment = document.createDocumentFragment();
    for (const { stream, text } of this.pending) {
      const span = document.createElement('span');
      span.className = `out-${stream}`;
      span.innerHTML = this.converter(stream).ansi_to_html(collapseCarriageReturns(text)); // escapes HTML
      fragment.append(span);
    }
    this.pending = [];
    this.element.hidden = false;
    this.element.append(fragment);
    if (this.followTail) this.element.scrollTop = this.element.scrollHeight;
  }

  private converter(stream: OutputStream): AnsiUp {
    let converter = this.converters.get(stream);
    if (!converter) {
      converter = new AnsiUp();
      converter.use_classes = true; // colours come from steps.css, tuned for light and dark
      this.converters.set(stream, converter);
    }
    return converter;
  }
}

/** "10%\r50%\r100%\n" → "100%\n": what a terminal would leave on screen, within one chunk. */
export function collapseCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      const parts = line.split('\r').filter((part) => part !== '');
      return parts.length ? parts[parts.length - 1] : '';
    })
    .join('\n');
}
