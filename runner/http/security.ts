/**
 * The runner executes code on the learner's machine, so every API request must prove it comes
 * from the learner's own page: the token (as in Jupyter), a loopback Host header (a DNS-rebinding
 * page has its own host name), and, when the browser sends one, the runner's own Origin.
 */
import { english, say, type Message } from '../../contract/messages.ts';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_HEADER } from '../../contract/protocol.ts';
import { TERMINAL_PATH } from '../../contract/terminal.ts';

export interface SecurityPolicy {
  token: string;
  port: number;
  /**
   * With --allow-remote the Host check is off (the runner cannot know every name it is reached
   * by), so only the token protects it; main.ts warns about this.
   */
  allowRemote: boolean;
  /**
   * `npm run dev`: the pages come from Astro's dev server, which forwards /api/ here, so the one
   * Origin allowed is that server's (exactly, e.g. http://127.0.0.1:4321), not this runner's own.
   */
  pageOrigin?: string;
}

export type Refusal = { status: number; error: string; hint?: string; msg?: Message; hintMsg?: Message };

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** For --host: the addresses that keep the runner on this machine. */
export function isLoopbackName(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host === '::1';
}

/** Host header → [hostname, port]; undefined when malformed. */
function splitHost(host: string): [string, number | undefined] | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!match) return undefined;
  return [match[1]!.toLowerCase(), match[2] === undefined ? undefined : Number(match[2])];
}

export function checkHost(host: string | undefined, policy: SecurityPolicy): Refusal | undefined {
  const parts = host ? splitHost(host) : undefined;
  if (!parts) return { status: 400, error: 'missing or malformed Host header' };
  const [name, port] = parts;
  if (!policy.allowRemote && !LOOPBACK_NAMES.has(name)) {
    return {
      status: 403,
      error: `Host "${host}" is not a loopback name`,
      hint: `open the runner at http://127.0.0.1:${policy.port}/ (requests for other host names are refused to stop DNS rebinding)`,
    };
  }
  if (port !== undefined && port !== policy.port) return { status: 403, error: `Host "${host}" names another port` };
  return undefined;
}

export function checkOrigin(origin: string | undefined, host: string, policy: SecurityPolicy): Refusal | undefined {
  if (origin === undefined) return undefined; // not a browser cross-site request: curl, tests, same-origin GET
  if (policy.pageOrigin !== undefined) {
    if (origin === policy.pageOrigin) return undefined;
    return refusal(
      403,
      say('refused.not-dev-origin', { origin }),
      say('refused.not-dev-origin-hint', { page: policy.pageOrigin }),
    );
  }
  if (origin === `http://${host}`) return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { status: 403, error: `malformed Origin "${origin}"` };
  }
  const loopbackSelf =
    url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname.toLowerCase()) && Number(url.port) === policy.port;
  if (loopbackSelf) return undefined;
  return refusal(403, say('refused.foreign-origin', { origin }), say('refused.foreign-origin-hint'));
}

export function checkToken(request: IncomingMessage, url: URL, policy: SecurityPolicy): Refusal | undefined {
  const header = request.headers[TOKEN_HEADER];
  // In the URL only for the event stream and the terminal's WebSocket, which cannot send
  // headers; URLs end up in logs.
  const inUrl = url.pathname === '/api/events' || url.pathname === TERMINAL_PATH;
  const fromUrl = request.method === 'GET' && inUrl ? url.searchParams.get('token') : null;
  const given = (Array.isArray(header) ? header[0] : header) ?? fromUrl ?? '';
  if (given === '') {
    return refusal(401, say('refused.no-token'), say('refused.no-token-hint'));
  }
  const a = Buffer.from(given);
  const b = Buffer.from(policy.token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return refusal(403, say('refused.wrong-token'), say('refused.old-token-hint'));
  }
  return undefined;
}

/** All checks for an /api/ request, in order; undefined means allowed. */
export function checkApiRequest(request: IncomingMessage, url: URL, policy: SecurityPolicy): Refusal | undefined {
  const host = request.headers.host;
  return (
    checkHost(host, policy) ?? checkOrigin(request.headers.origin, host!, policy) ?? checkToken(request, url, policy)
  );
}

export const LIMITS = {
  /** Largest JSON body the API accepts (the YAML live view is the biggest legitimate one). */
  bodyBytes: 64 * 1024,
  urlLength: 2048,
  /** Event streams open at once; a page needs one. */
  streams: 32,
};

/** A refusal the page shows: English for the terminal and curl, codes for the page's language. */
function refusal(status: number, error: Message, hint: Message): Refusal {
  return { status, error: english(error), hint: english(hint), msg: error, hintMsg: hint };
}
