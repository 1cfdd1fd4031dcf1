/**
 * The join link: seats handed out one per browser, the same again to a returning one, none past
 * the last, none to a stale link, and no more than the rate limit allows; only the instructor's
 * token makes a link. The HTTP part runs the real instructor server on a free port, with learners
 * that are only seats and links (no runner, no Docker: that is test/docker/classroom.test.ts).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TOKEN_HEADER } from '../../contract/protocol.ts';
import type { Classroom, Learner } from './classroom.ts';
import { cookie, createInstructorServer } from './instructor-server.ts';
import { SeatDispenser } from './join.ts';

const SEATS = ['learner-1', 'learner-2', 'learner-3'];
const roomy = { perClient: 100, overall: 100, windowMs: 60_000 };

describe('SeatDispenser', () => {
  it('hands each newcomer the next free seat and a returning browser its own', () => {
    const seats = new SeatDispenser(SEATS, roomy);
    const code = seats.newCode();
    const first = seats.join(code, undefined, 'a');
    const second = seats.join(code, undefined, 'b');
    assert.equal(first.kind === 'seat' && first.seatId, 'learner-1');
    assert.equal(second.kind === 'seat' && second.seatId, 'learner-2');
    const back = seats.join(code, first.kind === 'seat' ? first.claim : '', 'a');
    assert.deepEqual(back.kind === 'seat' && [back.seatId, back.again], ['learner-1', true]);
    const forged = seats.join(code, 'forged-claim', 'c');
    assert.deepEqual(forged.kind === 'seat' && [forged.seatId, forged.again], ['learner-3', false], 'a new seat');
  });

  it('hands a freed seat to the next newcomer, and a new one to the browser that held it', () => {
    const seats = new SeatDispenser(['learner-1', 'learner-2'], roomy);
    const code = seats.newCode();
    const first = seats.join(code, undefined, 'a');
    assert.equal(seats.join(code, undefined, 'b').kind, 'seat');
    assert.deepEqual(seats.join(code, undefined, 'c'), { kind: 'full' });
    assert.equal(seats.release('learner-1'), true);
    assert.equal(seats.release('learner-1'), false, 'not held any more');
    const next = seats.join(code, undefined, 'c');
    assert.deepEqual(next.kind === 'seat' && [next.seatId, next.again], ['learner-1', false]);
    const back = seats.join(code, first.kind === 'seat' ? first.claim : '', 'a');
    assert.deepEqual(back, { kind: 'full' }, 'the old claim no longer names a seat');
  });

  it('says the class is full after the last seat', () => {
    const seats = new SeatDispenser(['learner-1'], roomy);
    const code = seats.newCode();
    assert.equal(seats.join(code, undefined, 'a').kind, 'seat');
    assert.deepEqual(seats.join(code, undefined, 'b'), { kind: 'full' });
  });

  it('refuses a link before one is made, a wrong one and a replaced one', () => {
    const seats = new SeatDispenser(SEATS, roomy);
    assert.deepEqual(seats.join('00', undefined, 'a'), { kind: 'unknown-link' });
    const old = seats.newCode();
    assert.deepEqual(
      seats.join(
        old.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        undefined,
        'a',
      ),
      {
        kind: 'unknown-link',
      },
    );
    seats.newCode();
    assert.deepEqual(seats.join(old, undefined, 'a'), { kind: 'unknown-link' });
  });

  it('limits seats per client and overall within the window, and lets them through after it', () => {
    const seats = new SeatDispenser(['s1', 's2', 's3', 's4', 's5'], { perClient: 2, overall: 3, windowMs: 10_000 });
    const code = seats.newCode();
    assert.equal(seats.join(code, undefined, 'a', 0).kind, 'seat');
    assert.equal(seats.join(code, undefined, 'a', 1000).kind, 'seat');
    assert.deepEqual(seats.join(code, undefined, 'a', 2000), { kind: 'rate-limited', retryAfterSeconds: 8 });
    assert.equal(seats.join(code, undefined, 'b', 2000).kind, 'seat');
    assert.deepEqual(seats.join(code, undefined, 'c', 3000), { kind: 'rate-limited', retryAfterSeconds: 7 });
    assert.equal(seats.join(code, undefined, 'c', 10_000).kind, 'seat');
  });
});

describe('the join link over HTTP', () => {
  const token = 'instructor-token-0123456789';
  const policy = { token, port: 0, allowRemote: false };
  const learners = SEATS.map((id) => ({ seat: { id }, url: `http://127.0.0.1:1/?token=${id}-token` }));
  const classroom = {
    instructorUrl: '',
    instructorToken: token,
    learners: learners as unknown as Learner[],
    idleMinutes: 0,
    join: new SeatDispenser(SEATS, { perClient: 2, overall: 10, windowMs: 60_000 }),
    end: async () => {},
  } satisfies Classroom;
  const server = createInstructorServer({ classroom, policy });
  let base = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    policy.port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${policy.port}`;
    classroom.instructorUrl = `${base}/?token=${token}`;
  });
  after(() => server.close());

  const makeLink = (withToken = token) =>
    fetch(`${base}/api/classroom/join`, { method: 'POST', headers: { [TOKEN_HEADER]: withToken } });
  const open = (url: string, seatCookie?: string) =>
    fetch(url, { redirect: 'manual', headers: seatCookie ? { cookie: seatCookie } : {} });

  it("makes a link only with the instructor's token", async () => {
    for (const refused of [
      await makeLink('learner-1-token'),
      await fetch(`${base}/api/classroom/join`, { method: 'POST' }),
    ]) {
      assert.ok([401, 403].includes(refused.status), `status ${refused.status}`);
      assert.equal(((await refused.json()) as { url?: string }).url, undefined);
    }
  });

  it('sends each browser to a seat of its own, the same one when it comes back, then limits and fills', async () => {
    const { url } = (await (await makeLink()).json()) as { url: string };
    assert.match(url, new RegExp(`^${base}/join/[0-9a-f]{32}$`));
    const first = await open(url);
    assert.equal(first.status, 303);
    assert.equal(first.headers.get('location'), learners[0]!.url);
    const setCookie = first.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/);
    const seatCookie = `tutorial-seat=${cookie(setCookie.split(';')[0], 'tutorial-seat')}`;
    assert.equal((await open(url, seatCookie)).headers.get('location'), learners[0]!.url, 'returning browser');
    assert.equal((await open(url)).headers.get('location'), learners[1]!.url);
    const limited = await open(url);
    assert.equal(limited.status, 429, 'a third seat for one client within the minute');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await open(`${base}/join/00ff`)).status, 404);
    assert.deepEqual([...classroom.join.claimed()].sort(), ['learner-1', 'learner-2']);
  });

  it('stops the old link when a new one is made', async () => {
    const { url: old } = (await (await makeLink()).json()) as { url: string };
    await makeLink();
    assert.equal((await open(old)).status, 404);
  });
});
