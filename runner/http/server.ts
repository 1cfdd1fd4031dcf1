/**
 * The HTTP edge: one origin serves the built site and the API under /api/. Security checks and
 * size limits happen here, before any request reaches the runner (app.ts).
 */
import { say, SaidError, sayBoth } from '../../contract/messages.ts';
import { languageRedirect } from './preferred-language.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import sirv from 'sirv';
import type { ApiError } from '../../contract/protocol.ts';
import {
  BadRequest,
  parseChapterRunRequest,
  parseRunRequest,
  parseTargetRequest,
  parseYamlRequest,
} from '../api/requests.ts';
import type { RunnerApp } from '../app.ts';
import { RunRefused } from '../runs/runs.ts';
import { EventHub } from './event-hub.ts';
import { learnerRoute } from './learner-routes.ts';
import { checkApiRequest, checkHost, LIMITS, type SecurityPolicy } from './security.ts';

export interface ServerOptions {
  app: RunnerApp;
  policy: SecurityPolicy;
  /** Built site to serve (dist/); omitted in API-only tests. */
  siteDir?: string;
  version: string;
  /** Whether the learner's edited steps may run (default yes; main.ts --no-edited-runs). */
  editedRuns?: boolean;
}

class BodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The server, and its open event streams (a classroom counts them to tell an idle learner). */
export type RunnerServer = Server & { readonly eventStreams: EventHub };

export function createRunnerServer(options: ServerOptions): RunnerServer {
  const { app, policy } = options;
  const eventStreams = new EventHub(app.events, (stepId) => app.chapterOf(stepId));
  const site = options.siteDir ? sirv(options.siteDir, { dev: false, etag: true, single: false }) : undefined;

  const server = createServer(TIMEOUTS, (request, response) => {
    // Never framed by another site (a hidden Reset click), never telling other sites where it was.
    response.setHeader('content-security-policy', "frame-ancestors 'self'");
    response.setHeader('referrer-policy', 'no-referrer');
    void handle(request, response).catch((error: unknown) => {
      if (error instanceof BadRequest) return sendError(response, 400, `invalid request: ${error.message}`);
      const status = error instanceof RunRefused ? error.status : error instanceof BodyError ? error.status : 500;
      const hint = error instanceof RunRefused ? error.hint : undefined;
      if (status === 500) console.error(error);
      const codes = error instanceof RunRefused ? { msg: error.msg, hintMsg: error.hintMsg } : {};
      sendError(response, status, (error as Error).message, hint, codes);
    });
  });
  return Object.assign(server, { eventStreams });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if ((request.url ?? '').length > LIMITS.urlLength) return sendError(response, 414, 'URL too long');
    const url = new URL(request.url ?? '/', 'http://runner.invalid');

    if (!url.pathname.startsWith('/api/')) {
      const refused = checkHost(request.headers.host, policy);
      if (refused) return sendError(response, refused.status, refused.error, refused.hint);
      const korean = request.method === 'GET' ? languageRedirect(url, request.headers['accept-language']) : undefined;
      if (korean) return redirect(response, korean);
      if (!site || (request.method !== 'GET' && request.method !== 'HEAD'))
        return sendError(response, 404, 'not found');
      response.setHeader('x-content-type-options', 'nosniff');
      return site(request, response, () => sendError(response, 404, `no page at ${url.pathname}`));
    }

    const refused = checkApiRequest(request, url, policy);
    if (refused) return sendError(response, refused.status, refused.error, refused.hint, refused);
    response.setHeader('cache-control', 'no-store');
    const route = `${request.method} ${url.pathname}`;
    let match: RegExpMatchArray | null;

    if (route === 'GET /api/health')
      return send(response, 200, { ok: true, version: options.version, steps: app.manifest.steps.length });
    if (route === 'GET /api/state') return send(response, 200, app.state());
    if (route === 'GET /api/events') {
      if (eventStreams.size >= LIMITS.streams) return sendError(response, 429, 'too many open event streams');
      const chapter = url.searchParams.get('chapter') ?? undefined;
      return eventStreams.subscribe(response, chapter, app.runs.replay(chapter));
    }
    if (route === 'POST /api/runs') {
      const body = parseRunRequest(await readJson(request));
      return send(response, 202, app.runs.start(body.id, body.hash));
    }
    if ((match = route.match(/^POST \/api\/runs\/([\w-]+)\/cancel$/))) {
      if (!app.runs.cancel(match[1]!)) return sendError(response, 404, `no run ${match[1]} in progress`);
      return send(response, 202, { ok: true });
    }
    if ((match = route.match(/^POST \/api\/containers\/([\w.-]+)\/stop$/))) {
      await app.stopContainer(match[1]!);
      return send(response, 202, { ok: true });
    }
    if ((match = route.match(/^POST \/api\/chapters\/([\w-]+)\/run$/))) {
      const body = parseChapterRunRequest(await readJson(request));
      return send(response, 202, app.runs.runChapter(match[1]!, body.until));
    }
    if ((match = route.match(/^POST \/api\/chapters\/([\w-]+)\/continue$/))) {
      const body = (await readJson(request)) as { stop?: unknown };
      app.runs.continueChapter(match[1]!, body?.stop === true);
      return send(response, 202, { ok: true });
    }
    if ((match = route.match(/^POST \/api\/chapters\/([\w-]+)\/cancel$/))) {
      app.runs.cancelChapter(match[1]!);
      return send(response, 202, { ok: true });
    }
    if (route === 'GET /api/session-log') return send(response, 200, app.sessionLog.read());
    if ((match = route.match(/^POST \/api\/chapters\/([\w-]+)\/reset$/))) {
      const chapter = match[1]!;
      return inBackground('reset', () => app.resetChapter(chapter));
    }
    if ((match = route.match(/^GET \/api\/chapters\/([\w-]+)\/transcripts$/))) {
      return send(response, 200, app.chapterTranscripts(match[1]!));
    }
    if ((match = route.match(/^GET \/api\/steps\/([\w-]+)\/transcript$/))) {
      const transcript = app.transcript(match[1]!);
      return transcript
        ? send(response, 200, transcript)
        : sendError(response, 404, `step ${match[1]} has not run yet`);
    }
    if (route === 'PUT /api/target') {
      const body = parseTargetRequest(await readJson(request));
      return send(response, 200, await app.setTarget(body.name));
    }
    if (route === 'POST /api/yaml') {
      const body = parseYamlRequest(await readJson(request));
      return send(response, 200, await app.yaml(body.text));
    }
    if (route === 'POST /api/provision') return inBackground('provision', () => app.provision());
    if (route === 'POST /api/reset') return inBackground('reset', () => app.reset());
    const learner = await learnerRoute(app, { editedRuns: options.editedRuns ?? true }, route, url, () =>
      readJson(request),
    );
    if (learner) return send(response, learner.status, learner.body);
    return sendError(response, 404, `no API endpoint ${route}`);

    /** Long work answers 202 at once; its progress, and any failure, arrive as events. */
    function inBackground(task: 'provision' | 'reset', work: () => Promise<void>): void {
      void work().catch((error: unknown) =>
        app.publish({
          type: 'progress',
          task,
          ...sayBoth(
            say('provision.failed', { error: error instanceof SaidError ? error.msg : (error as Error).message }),
          ),
        }),
      );
      send(response, 202, { ok: true });
    }
  }
}

/**
 * Slow clients cannot hold connections: headers must arrive within 10 s and a whole request within
 * 30 s (checked every second). The event stream is a response, not a request, so it is not cut.
 */
const TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 };

/** Exactly `application/json`, optionally with `; charset=utf-8`: not application/jsonfoo, not text/plain. */
function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((p) => p === 'charset=utf-8' || p === 'charset="utf-8"') && parameters.length <= 1;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  if (!isJsonContentType(request.headers['content-type']))
    throw new BodyError(415, 'send JSON (content-type: application/json; charset=utf-8)');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > LIMITS.bodyBytes) throw new BodyError(413, `request body over ${LIMITS.bodyBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop must not destroy the socket: the 413 still has to reach the client (the
  // error handler closes the connection once it is sent, so the rest of the body is never read).
  for await (const chunk of request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMITS.bodyBytes) throw new BodyError(413, `request body over ${LIMITS.bodyBytes} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new BodyError(400, 'the request body is not valid JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Whether the client announced a body that has not been read (all of it, or the rest of it). */
/** The runner's link, for a browser that prefers Korean: the same query (the token) under /ko/. */
function redirect(response: ServerResponse, location: string): void {
  response.setHeader('vary', 'accept-language');
  response.setHeader('cache-control', 'no-store');
  response.writeHead(302, { location });
  response.end();
}

function unreadBody(request: IncomingMessage): boolean {
  const { 'content-length': length, 'transfer-encoding': encoding } = request.headers;
  return !request.complete && ((length !== undefined && length !== '0') || encoding !== undefined);
}

/** `codes`: the error and hint as message codes, for the page's language (contract/messages.ts). */
function sendError(
  response: ServerResponse,
  status: number,
  error: string,
  hint?: string,
  codes: Pick<ApiError, 'msg' | 'hintMsg'> = {},
): void {
  if (response.headersSent) return void response.end();
  // A refusal reads no body: with `connection: close`, Node ends the socket once the answer is
  // out, so the unread body is neither read to the end nor parsed as the next request.
  if (unreadBody(response.req)) response.setHeader('connection', 'close');
  const { msg, hintMsg } = codes;
  send(response, status, {
    error,
    ...(hint && { hint }),
    ...(msg && { msg }),
    ...(hintMsg && { hintMsg }),
  } satisfies ApiError);
}
