/**
 * <terminal-panel>: the learner's shell in the page (xterm.js), over the runner's WebSocket
 * (contract/terminal.ts). The shell lives in the runner, not in the page: closing the panel or
 * reloading only detaches, and attaching again replays what it showed. Several tabs share it.
 *
 *   closed ──open──► connecting ──open──► attached ──shell exits──► ended ──Enter──► connecting
 *     ▲                   ▲                  │
 *     └──close───────────┴─ dropped: retry ◄─┘ (the runner restarted, the network blinked)
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { TERMINAL_CLOSE, TERMINAL_PATH, type TerminalNotice, type TerminalRequest } from '../../contract/terminal.ts';
import { runner } from './runner-connection.ts';
import { TEXT } from './texts.ts';

const T = TEXT.terminal;
/** Whether this tab had the panel open: a reload opens it again. */
const OPEN_KEY = 'tutorial.terminal-open';
/** Characters per input frame: a paste goes in pieces well under the runner's frame limit. */
const INPUT_CHUNK = 8192;

// Every ANSI colour keeps 4.5:1 on its background (axe checks them in e2e/terminal.spec.ts).
const DARK: ITheme = {
  background: '#17181c',
  foreground: '#e6e6e6',
  cursor: '#e6e6e6',
  selectionBackground: '#44475a',
  black: '#8f939c',
  red: '#f47c86',
  green: '#8fd16a',
  yellow: '#f2c94c',
  blue: '#7aaaf5',
  magenta: '#d68fe6',
  cyan: '#5fcfd8',
  white: '#d5d8de',
  brightBlack: '#a3a7b0',
  brightRed: '#ff9aa2',
  brightGreen: '#a6e38a',
  brightYellow: '#ffd970',
  brightBlue: '#9cc0ff',
  brightMagenta: '#e6a8f2',
  brightCyan: '#7ee0e8',
  brightWhite: '#ffffff',
};
// The usual bright colours are made for dark screens; on white these stay readable.
const LIGHT: ITheme = {
  background: '#fbfbfb',
  foreground: '#1f2328',
  cursor: '#1f2328',
  selectionBackground: '#c8d7f0',
  black: '#1f2328',
  red: '#b3261e',
  green: '#1a7f37',
  yellow: '#7a5f00',
  blue: '#0550ae',
  magenta: '#8250df',
  cyan: '#0b7285',
  white: '#57606a',
  brightBlack: '#57606a',
  brightRed: '#b3261e',
  brightGreen: '#1a7f37',
  brightYellow: '#7a5f00',
  brightBlue: '#0550ae',
  brightMagenta: '#8250df',
  brightCyan: '#0b7285',
  brightWhite: '#424a53',
};

class TerminalPanel extends HTMLElement {
  private toggle!: HTMLButtonElement;
  private dock!: HTMLElement;
  private screen!: HTMLElement;
  private status!: HTMLElement;
  private closeButton!: HTMLButtonElement;
  private term?: Terminal;
  private fit?: FitAddon;
  private socket?: WebSocket;
  private retries = 0;
  private retryTimer?: number;
  private ended = false;
  private escapePressed = false;
  private target?: string;
  private readonly watchers: { disconnect(): void }[] = [];

  connectedCallback(): void {
    if (this.toggle) return; // set up once: the dock has moved to <body> since
    this.toggle = this.querySelector('.terminal-toggle')!;
    this.dock = this.querySelector('.terminal-dock')!;
    this.screen = this.querySelector('.terminal-screen')!;
    this.status = this.querySelector('.terminal-status')!;
    this.closeButton = this.querySelector('.terminal-close')!;
    // Docked to the window: out of the content column, whose stacking would put the sidebars
    // over it. Still labelled, and still controlled by this panel's button (aria-controls).
    document.body.append(this.dock);
    this.toggle.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
    this.closeButton.addEventListener('click', () => {
      this.close();
      this.toggle.focus();
    });
    runner.subscribe({
      connection: (state) => {
        this.hidden = state !== 'connected';
        if (state !== 'connected') return;
        if (!this.isOpen && sessionStorage.getItem(OPEN_KEY) === '1') this.open(false);
        else if (this.isOpen && !this.socket && !this.ended) this.connect(); // the runner is back
      },
      state: (state) => this.targetIs(state.target.name),
      event: (event) => event.type === 'target' && this.targetIs(event.target.name),
    });
  }

  /** Steps moved to another target: so does the terminal (each target keeps its own shell). */
  private targetIs(name: string): void {
    const changed = this.target !== undefined && this.target !== name;
    this.target = name;
    if (changed && this.isOpen) this.connect();
  }

  private get isOpen(): boolean {
    return !this.dock.hidden;
  }

  private open(focus = true): void {
    this.dock.hidden = false;
    this.toggle.setAttribute('aria-expanded', 'true');
    document.body.classList.add('terminal-open');
    sessionStorage.setItem(OPEN_KEY, '1');
    this.createTerminal();
    this.connect();
    if (focus) this.term!.focus();
  }

  private close(): void {
    this.dock.hidden = true;
    this.toggle.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('terminal-open');
    sessionStorage.removeItem(OPEN_KEY);
    this.disconnect();
    for (const watcher of this.watchers.splice(0)) watcher.disconnect();
    this.term?.dispose();
    this.term = undefined;
  }

  private createTerminal(): void {
    if (this.term) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: 14,
      scrollback: 5000,
      theme: this.theme(),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(this.screen);
    term.textarea?.setAttribute('aria-label', T.screenLabel);
    term.textarea?.setAttribute('aria-describedby', 'terminal-help');
    term.attachCustomKeyEventHandler((event) => this.key(event));
    term.onData((data) => this.typed(data));
    term.onResize(({ rows, cols }) => this.send({ type: 'resize', rows, cols }));
    this.term = term;
    this.fit = fit;
    this.refit();
    const resize = new ResizeObserver(() => this.refit());
    resize.observe(this.screen);
    // Starlight's theme switch sets <html data-theme>: the terminal follows it.
    const theme = new MutationObserver(() => (term.options.theme = this.theme()));
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.watchers.push(resize, theme);
  }

  private theme(): ITheme {
    return document.documentElement.dataset.theme === 'light' ? LIGHT : DARK;
  }

  private refit(): void {
    if (!this.isOpen || !this.fit) return;
    try {
      this.fit.fit();
    } catch {
      // not laid out yet (the panel is opening); the observer calls again
    }
  }

  /** Keys the page handles itself; true lets xterm pass the key on to the shell. */
  private key(event: KeyboardEvent): boolean {
    if (event.type !== 'keydown') return true;
    const letter = event.key.toLowerCase();
    if (event.ctrlKey && event.shiftKey && letter === 'c') {
      const selection = this.term?.getSelection();
      if (selection) void navigator.clipboard?.writeText(selection).catch(() => {});
      return false;
    }
    if (event.ctrlKey && event.shiftKey && letter === 'v') {
      void navigator.clipboard
        ?.readText()
        .then((text) => this.term?.paste(text))
        .catch(() => {});
      return false;
    }
    // Tab belongs to the shell (completion); Esc then Tab leaves the terminal.
    if (event.key === 'Tab' && this.escapePressed) {
      this.escapePressed = false;
      event.preventDefault();
      this.closeButton.focus();
      return false;
    }
    this.escapePressed = event.key === 'Escape';
    return true;
  }

  private typed(data: string): void {
    if (this.ended) {
      if (data === '\r') this.connect();
      return;
    }
    for (let i = 0; i < data.length; i += INPUT_CHUNK)
      this.send({ type: 'input', data: data.slice(i, i + INPUT_CHUNK) });
  }

  private send(request: TerminalRequest): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(request));
  }

  private connect(): void {
    this.disconnect();
    const term = this.term;
    if (!term) return;
    this.ended = false;
    this.say(T.connecting);
    const url = new URL(TERMINAL_PATH, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({
      token: runner.token,
      rows: String(term.rows),
      cols: String(term.cols),
    }).toString();
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retries = 0;
      term.reset(); // the runner replays the scrollback first: nothing shown twice
      this.say(T.connected(runner.state?.target.description ?? ''));
    });
    socket.addEventListener('message', (message: MessageEvent<ArrayBuffer | string>) => {
      if (typeof message.data !== 'string') return term.write(new Uint8Array(message.data));
      const notice = JSON.parse(message.data) as TerminalNotice;
      this.ended = true;
      if (notice.type === 'ended') {
        this.say(T.ended(notice.message));
        term.write(`\r\n\x1b[2m[${T.ended(notice.message)}]\x1b[0m\r\n`);
      } else {
        this.say(T.unavailable(notice.message));
      }
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (event.code === TERMINAL_CLOSE.ended || event.code === TERMINAL_CLOSE.unavailable || !this.isOpen) return;
      // Dropped: the runner restarted or the network blinked. Tries again, more slowly each time.
      this.say(T.lost);
      if (runner.connection !== 'connected') return; // tried again once the runner answers
      this.retryTimer = window.setTimeout(() => this.connect(), Math.min(10_000, 500 * 2 ** this.retries++));
    });
  }

  private disconnect(): void {
    window.clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
  }

  private say(text: string): void {
    this.status.textContent = text;
  }
}

if (!customElements.get('terminal-panel')) customElements.define('terminal-panel', TerminalPanel);
