/**
 * The instructor's page and API, on a port and token of their own (the same Host, Origin and token
 * checks as a learner's runner; a learner's token is refused here, and this token there):
 *
 *   GET  /                                   the page (reads ?token=, then keeps it)
 *   GET  /api/classroom                      every learner: progress per chapter, stuck where, lab state
 *   POST /api/classroom/learners/:id/reset   that learner's Reset: runs stopped, lab and its engine removed, workspace emptied
 *   POST /api/classroom/learners/:id/restart that learner's lab stopped and started (workspace and engine state kept)
 *   POST /api/classroom/learners/:id/free    the seat for someone else: Reset, a new token (the old link stops), back to the join link
 *   POST /api/classroom/idle                 {"minutes": n}: stop labs idle that long (0: never)
 *   POST /api/classroom/join                 a new join link (the previous one stops working)
 *   GET  /join/:code                         no token: hands the browser a free seat (join.ts)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { checkApiRequest, checkHost, LIMITS, type SecurityPolicy } from '../http/security.ts';
import { freeSeat, type Classroom, type Learner } from './classroom.ts';
import { INSTRUCTOR_PAGE } from './instructor-page.ts';
import type { JoinOutcome } from './join.ts';

/** The cookie that brings a browser back to the seat it was given. */
const SEAT_COOKIE = 'tutorial-seat';

export interface LearnerSummary {
  id: string;
  url: string;
  /** Lab port → the learner's port. */
  ports: Record<number, number>;
  labRunning: boolean;
  /** Seconds since the learner's last request. */
  idleSeconds: number;
  chapters: { id: string; title: string; ok: number; failed: number; total: number }[];
  running: string[];
  /** The learner's latest step ended in failure: which, why, and the end of its output. */
  stuck?: { stepId: string; message: string; output: string };
}

export async function summarise(learner: Learner): Promise<LearnerSummary> {
  const { app } = learner;
  const state = app.state();
  const chapters = app.manifest.chapters.map((chapter) => {
    const statuses = chapter.steps.map((id) => state.steps[id]?.status);
    return {
      id: chapter.id,
      title: chapter.title,
      ok: statuses.filter((s) => s === 'ok' || s === 'skipped').length,
      failed: statuses.filter((s) => s === 'failed').length,
      total: chapter.steps.length,
    };
  });
  const latest = Object.entries(state.steps).sort(([, a], [, b]) => b.at.localeCompare(a.at))[0];
  let stuck: LearnerSummary['stuck'];
  if (latest && latest[1].status === 'failed') {
    const output =
      app
        .transcript(latest[0])
        ?.output.map((c) => c.text)
        .join('') ?? '';
    stuck = { stepId: latest[0], message: latest[1].message ?? '', output: output.split('\n').slice(-20).join('\n') };
  }
  return {
    id: learner.seat.id,
    url: learner.url,
    ports: learner.ports,
    labRunning: (await app.labTargetIfAny?.running()) ?? false,
    idleSeconds: Math.round((Date.now() - learner.lastActive) / 1000),
    chapters,
    running: state.active.map((a) => a.stepId),
    ...(stuck && { stuck }),
  };
}

const IdleRequest = z.strictObject({
  minutes: z
    .number()
    .min(0)
    .max(24 * 60),
});

export function createInstructorServer(options: { classroom: Classroom; policy: SecurityPolicy }): Server {
  const { classroom, policy } = options;
  return createServer((request, response) => {
    response.setHeader('content-security-policy', "frame-ancestors 'none'");
    response.setHeader('referrer-policy', 'no-referrer');
    handle(request, response).catch((error: unknown) => send(response, 500, { error: (error as Error).message }));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://instructor.invalid');
    if (!url.pathname.startsWith('/api/')) {
      const refused = checkHost(request.headers.host, policy);
      if (refused) return send(response, refused.status, { error: refused.error });
      const join = /^\/join\/([0-9a-f]{1,64})$/.exec(url.pathname);
      if (request.method === 'GET' && join) return joinSeat(request, response, join[1]!);
      if (request.method !== 'GET' || url.pathname !== '/') return send(response, 404, { error: 'not found' });
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void response.end(INSTRUCTOR_PAGE);
    }
    const refused = checkApiRequest(request, url, policy);
    if (refused) return send(response, refused.status, { error: refused.error, hint: refused.hint });
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /api/classroom') {
      const learners = await Promise.all(classroom.learners.map(summarise));
      const joined = [...classroom.join.claimed()];
      return send(response, 200, { idleMinutes: classroom.idleMinutes, learners, joined });
    }
    if (route === 'POST /api/classroom/join') {
      const code = classroom.join.newCode();
      return send(response, 200, { url: new URL(`/join/${code}`, classroom.instructorUrl).href });
    }
    if (route === 'POST /api/classroom/idle') {
      const parsed = IdleRequest.safeParse(await body(request));
      if (!parsed.success) return send(response, 400, { error: `invalid request: ${parsed.error.issues[0]?.message}` });
      classroom.idleMinutes = parsed.data.minutes;
      return send(response, 200, { idleMinutes: classroom.idleMinutes });
    }
    const match = /^POST \/api\/classroom\/learners\/([\w-]+)\/(reset|restart|free)$/.exec(route);
    if (match) {
      const learner = classroom.learners.find((l) => l.seat.id === match[1]);
      if (!learner) return send(response, 404, { error: `no learner ${match[1]}` });
      if (match[2] === 'reset') await learner.app.reset();
      else if (match[2] === 'restart') await learner.app.restartLab();
      else await freeSeat(classroom, learner);
      return send(response, 200, await summarise(learner));
    }
    return send(response, 404, { error: `no route ${route}` });
  }

  function joinSeat(request: IncomingMessage, response: ServerResponse, code: string): void {
    const claim = cookie(request.headers.cookie, SEAT_COOKIE);
    const outcome = classroom.join.join(code, claim, request.socket.remoteAddress ?? '?');
    if (outcome.kind !== 'seat') return page(response, outcome);
    const learner = classroom.learners.find((l) => l.seat.id === outcome.seatId)!;
    response.writeHead(303, {
      location: learner.url,
      'set-cookie': `${SEAT_COOKIE}=${outcome.claim}; Path=/join; HttpOnly; SameSite=Lax; Max-Age=86400`,
      'cache-control': 'no-store',
    });
    response.end();
  }
}

/** What a browser that opened the join link reads when it gets no seat. */
function page(response: ServerResponse, outcome: Exclude<JoinOutcome, { kind: 'seat' }>): void {
  const [status, text] =
    outcome.kind === 'full'
      ? [409, 'Every seat of this class is taken. Ask the instructor for a seat.']
      : outcome.kind === 'rate-limited'
        ? [429, `Too many seats were handed out just now. Try again in ${outcome.retryAfterSeconds} s.`]
        : [404, 'This join link is not (or no longer) valid. Ask the instructor for the current one.'];
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...(outcome.kind === 'rate-limited' && { 'retry-after': String(outcome.retryAfterSeconds) }),
  });
  response.end(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Join the class</title><p>${text}</p></html>`,
  );
}

/** One cookie's value from a Cookie header. */
export function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

async function body(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMITS.bodyBytes) throw new Error('request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  if (response.headersSent) return void response.end();
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
