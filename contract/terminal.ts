/**
 * The in-page terminal's WebSocket (runner/terminal/, src/client/terminal-panel.ts). Same checks
 * as the rest of the API (Host, Origin, token); the token comes in the URL, as for the event
 * stream, because a browser's WebSocket cannot send headers.
 *
 *   page → runner   text frames: TerminalRequest (JSON)
 *   runner → page   binary frames: what the terminal shows, as bytes;
 *                   text frames: TerminalNotice (JSON)
 */
export const TERMINAL_PATH = '/api/terminal';

/** Largest frame a page may send (a paste); longer pastes go in several. */
export const TERMINAL_FRAME_BYTES = 64 * 1024;

/** Rows and columns, each 1-1000 (runner/terminal/terminal-socket.ts checks them). */
export type TerminalRequest = { type: 'input'; data: string } | { type: 'resize'; rows: number; cols: number };

export type TerminalNotice =
  /** The shell ended (exit, or the lab stopped); the next connection starts a new one. */
  | { type: 'ended'; message: string }
  /** This runner was started with --no-terminal, or the shell could not start. */
  | { type: 'unavailable'; message: string };

/** Close codes the page tells apart (4000-4999 are the application's). */
export const TERMINAL_CLOSE = { ended: 4000, unavailable: 4001 } as const;
