/**
 * The classroom's join link: one URL the instructor hands out (on the board, in the chat) instead
 * of N learner links. Each browser that opens it gets a seat of its own, the next free one, and the
 * same seat again when it comes back (a cookie names its claim). Only the instructor's token makes
 * or replaces the link (the old one stops working), and handing out seats is rate-limited, per
 * client and overall, so one client cannot empty the room in a loop. Pure, so it is unit-tested;
 * instructor-server.ts serves it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface JoinLimits {
  /** Seats one client address may take per window. */
  perClient: number;
  /** Seats handed out per window in all. */
  overall: number;
  windowMs: number;
}

/** A class of 20 joins within a minute or two; a script taking every seat is stopped at once. */
export const DEFAULT_JOIN_LIMITS: JoinLimits = { perClient: 3, overall: 30, windowMs: 60_000 };

export type JoinOutcome =
  | { kind: 'seat'; seatId: string; claim: string; again: boolean }
  | { kind: 'full' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'unknown-link' };

export class SeatDispenser {
  private code: string | undefined;
  /** claim (the cookie's value) → seat id. */
  private readonly claims = new Map<string, string>();
  private readonly given: { at: number; client: string }[] = [];

  private readonly seatIds: readonly string[];
  private readonly limits: JoinLimits;

  constructor(seatIds: readonly string[], limits: JoinLimits = DEFAULT_JOIN_LIMITS) {
    this.seatIds = seatIds;
    this.limits = limits;
  }

  /** Makes a new join code (the instructor's action); a previous one no longer works. */
  newCode(): string {
    this.code = randomBytes(16).toString('hex');
    return this.code;
  }

  /**
   * Gives a seat back (the instructor freed it): the browser that held it is sent to a new seat if
   * it comes back, and the seat goes to the next newcomer. Whether it had been handed out.
   */
  release(seatId: string): boolean {
    let held = false;
    for (const [claim, seat] of this.claims)
      if (seat === seatId) {
        this.claims.delete(claim);
        held = true;
      }
    return held;
  }

  /** The seats handed out so far. */
  claimed(): Set<string> {
    return new Set(this.claims.values());
  }

  /**
   * A browser opened the join link: `code` from its path, `claim` from its cookie (if any),
   * `client` its address.
   */
  join(code: string, claim: string | undefined, client: string, now = Date.now()): JoinOutcome {
    if (!this.code || !sameText(code, this.code)) return { kind: 'unknown-link' };
    const kept = claim === undefined ? undefined : this.claims.get(claim);
    if (kept && claim) return { kind: 'seat', seatId: kept, claim, again: true };
    while (this.given.length > 0 && now - this.given[0]!.at >= this.limits.windowMs) this.given.shift();
    const byClient = this.given.filter((g) => g.client === client);
    const limiting =
      byClient.length >= this.limits.perClient
        ? byClient[0]
        : this.given.length >= this.limits.overall
          ? this.given[0]
          : undefined;
    if (limiting)
      return {
        kind: 'rate-limited',
        retryAfterSeconds: Math.max(1, Math.ceil((limiting.at + this.limits.windowMs - now) / 1000)),
      };
    const taken = this.claimed();
    const seatId = this.seatIds.find((id) => !taken.has(id));
    if (!seatId) return { kind: 'full' };
    const fresh = randomBytes(24).toString('hex');
    this.claims.set(fresh, seatId);
    this.given.push({ at: now, client });
    return { kind: 'seat', seatId, claim: fresh, again: false };
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
