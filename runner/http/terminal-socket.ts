/**
 * The terminal's WebSocket on the runner's HTTP server (GET /api/terminal, upgraded). Before any
 * handshake the request passes the API's own checks (http/security.ts: loopback Host, the
 * runner's Origin, the token); a refusal is a plain HTTP answer and the socket is closed.
 * With --no-terminal the checks still come first, then the page is told the terminal is off.
 */
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import {
  TERMINAL_CLOSE,
  TERMINAL_FRAME_BYTES,
  TERMINAL_PATH,
  type TerminalNotice,
  type TerminalRequest,
} from '../../contract/terminal.ts';
import { checkApiRequest, LIMITS, type SecurityPolicy } from './security.ts';
import type { Terminals } from '../terminal/terminals.ts';

export interface TerminalSocketOptions {
  policy: SecurityPolicy;
  /** Undefined: the terminal is off (--no-terminal, or a classroom), for `offReason`. */
  terminals: Terminals | undefined;
  offReason?: string;
}

const dimension = z.number().int().min(1).max(1000);
const Request: z.ZodType<TerminalRequest> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), data: z.string().max(TERMINAL_FRAME_BYTES) }),
  z.object({ type: z.literal('resize'), rows: dimension, cols: dimension }),
]);

/** Pages connected at once (every tab of every chapter holds one while its panel is open). */
const MAX_SOCKETS = 32;
const SLOW_PAGE_BYTES = 4 * 1024 * 1024;

export function attachTerminalSocket(server: Server, options: TerminalSocketOptions): void {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: TERMINAL_FRAME_BYTES + 1024 });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    if ((request.url ?? '').length > LIMITS.urlLength) return refuse(socket, 414, 'URL too long');
    const url = new URL(request.url ?? '/', 'http://runner.invalid');
    if (url.pathname !== TERMINAL_PATH) return refuse(socket, 404, `no WebSocket at ${url.pathname}`);
    const refused = checkApiRequest(request, url, options.policy);
    if (refused) return refuse(socket, refused.status, refused.error, refused.hint);
    if (sockets.clients.size >= MAX_SOCKETS) return refuse(socket, 429, 'too many open terminals');
    sockets.handleUpgrade(request, socket, head, (ws) => void serve(ws, url, options));
  });
}

async function serve(ws: WebSocket, url: URL, options: TerminalSocketOptions): Promise<void> {
  const { terminals } = options;
  const notify = (notice: TerminalNotice) => ws.send(JSON.stringify(notice));
  if (!terminals) {
    notify({ type: 'unavailable', message: options.offReason ?? 'this runner was started with --no-terminal' });
    return ws.close(TERMINAL_CLOSE.unavailable, 'turned off');
  }
  const size = { rows: sizeParam(url.searchParams.get('rows'), 24), cols: sizeParam(url.searchParams.get('cols'), 80) };
  let session;
  try {
    session = await terminals.session(size);
  } catch (error) {
    if (ws.readyState !== ws.OPEN) return;
    notify({ type: 'unavailable', message: `the terminal could not start: ${(error as Error).message}` });
    return ws.close(TERMINAL_CLOSE.unavailable, 'could not start');
  }
  if (ws.readyState !== ws.OPEN) return;
  const detach = session.attach({
    output: (data) => {
      // A page that does not keep up is dropped, not buffered without end; it reconnects and
      // gets the scrollback.
      if (ws.bufferedAmount > SLOW_PAGE_BYTES) return ws.terminate();
      ws.send(data, { binary: true });
    },
    ended: (message) => {
      notify({ type: 'ended', message });
      ws.close(TERMINAL_CLOSE.ended, 'ended');
    },
  });
  session.resize(size); // this page's size: the last page to attach or resize sets it
  ws.on('message', (data: RawData, binary: boolean) => {
    if (binary) return;
    let request: TerminalRequest;
    try {
      request = Request.parse(JSON.parse(String(data)));
    } catch {
      return; // not the page's: dropped, as a terminal drops what it cannot read
    }
    if (request.type === 'input') session.input(request.data);
    else session.resize(request);
  });
  ws.once('close', detach);
}

function sizeParam(text: string | null, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 && value <= 1000 ? value : fallback;
}

/** An HTTP answer on a socket that asked to upgrade, in the API's error shape. */
function refuse(socket: Duplex, status: number, error: string, hint?: string): void {
  const body = JSON.stringify({ error, ...(hint && { hint }) });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
