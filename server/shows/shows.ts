import { and, asc, count, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { lineup, orders, shows, users, type ShowRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import { canHost, type PublicUser, type UserRole } from '#shared/auth.ts';
import {
  canTransition,
  type CreateShowInput,
  type DuplicateShowInput,
  type ShowDto,
  type ShowStatus,
  type UpdateShowInput
} from '#shared/shows.ts';

const log = logger('shows');

export interface ShowsEvents extends Record<string, unknown[]> {
  statusChanged: [showId: string, status: ShowStatus];
  /** Deleted or archived: gone from every list, its room has nothing more to show. */
  removed: [showId: string, outcome: 'deleted' | 'archived'];
}

/** Shows and their one state machine (scheduled → live → ended). */
/** A host filling in the form with "now" takes a while; a start further back than this is a mistake. */
const PAST_START_GRACE_MS = 10 * 60_000;

const DAY_MS = 86_400_000;
/** Shows a host may have scheduled or live at once, unless MAX_OPEN_SHOWS_PER_HOST says otherwise. */
export const MAX_OPEN_SHOWS = 50;

/** A copy's start: the original's when still ahead, else the same time of day on the next day ahead. */
function copyStart(scheduledAt: number, now: number): number {
  return scheduledAt > now ? scheduledAt : scheduledAt + Math.ceil((now - scheduledAt + 1) / DAY_MS) * DAY_MS;
}

function assertNotPast(scheduledAt: number): void {
  if (scheduledAt < Date.now() - PAST_START_GRACE_MS) {
    throw new AppError('bad_request', 'The start time is in the past.', { reason: 'invalid_input', field: 'scheduledAt' });
  }
}

export class Shows extends TypedEmitter<ShowsEvents> {
  readonly #db: Db;
  readonly #coverUrl: (file: string) => string;
  readonly #maxOpenShows: number;

  constructor(db: Db, opts: { coverUrl?: (file: string) => string; maxOpenShows?: number } = {}) {
    super();
    this.#db = db;
    this.#coverUrl = opts.coverUrl ?? ((f) => `/media/covers/${f}`);
    this.#maxOpenShows = opts.maxOpenShows ?? MAX_OPEN_SHOWS;
  }

  list(status?: ShowStatus): ShowDto[] {
    // Live and upcoming shows soonest first; ended ones most recent first.
    const order = status === 'ended' ? desc(shows.endedAt) : asc(shows.scheduledAt);
    const rows = this.#db
      .select({ show: shows, hostName: users.displayName })
      .from(shows)
      .innerJoin(users, eq(users.id, shows.hostId))
      .where(and(eq(shows.archived, false), status ? eq(shows.status, status) : undefined))
      .orderBy(order)
      .limit(200)
      .all();
    return rows.map((r) => this.#toDto(r.show, r.hostName));
  }

  /** The host's own shows, of every status, newest start first. */
  hostedBy(hostId: string): ShowDto[] {
    return this.#db
      .select({ show: shows, hostName: users.displayName })
      .from(shows)
      .innerJoin(users, eq(users.id, shows.hostId))
      .where(and(eq(shows.hostId, hostId), eq(shows.archived, false)))
      .orderBy(desc(shows.scheduledAt))
      .limit(200)
      .all()
      .map((r) => this.#toDto(r.show, r.hostName));
  }

  /** Still readable when archived: its orders point at it. */
  get(id: string): ShowDto {
    const r = this.#db
      .select({ show: shows, hostName: users.displayName })
      .from(shows)
      .innerJoin(users, eq(users.id, shows.hostId))
      .where(eq(shows.id, id))
      .get();
    if (!r) throw new AppError('not_found', 'No such show.');
    return this.#toDto(r.show, r.hostName);
  }

  /** The show's host, or null for a show that is gone (a room may outlive its show). */
  hostId(id: string): string | null {
    return this.#db.select({ hostId: shows.hostId }).from(shows).where(eq(shows.id, id)).get()?.hostId ?? null;
  }

  create(host: PublicUser, input: CreateShowInput, opts: { isDemo?: boolean } = {}): ShowDto {
    if (!canHost(this.#roleOf(host))) throw new AppError('forbidden', 'Only hosts can create shows.');
    assertNotPast(input.scheduledAt);
    this.#assertRoomForAnother(host.id);
    const id = newId();
    this.#db
      .insert(shows)
      .values({ id, hostId: host.id, title: input.title, description: input.description, scheduledAt: input.scheduledAt, isDemo: opts.isDemo ?? false })
      .run();
    log.info({ show: id, host: host.id }, 'show created');
    return this.get(id);
  }

  update(actor: PublicUser, id: string, input: UpdateShowInput): ShowDto {
    const row = this.#ownedBy(actor, id);
    if (row.status === 'ended') throw new AppError('invalid_state', 'An ended show can no longer be edited.');
    // Moving the start is checked; an edit that keeps a started show's original time is not.
    if (input.scheduledAt !== undefined && input.scheduledAt !== row.scheduledAt) assertNotPast(input.scheduledAt);
    this.#db.update(shows).set({ ...input, updatedAt: Date.now() }).where(eq(shows.id, id)).run();
    return this.get(id);
  }

  /**
   * A new scheduled show with the original's title (or the one given), description, cover and
   * lineup; nothing that happened in the original (lots, orders, chat, pushes, stats) comes along.
   */
  duplicate(actor: PublicUser, id: string, input: DuplicateShowInput): ShowDto {
    const row = this.#ownedBy(actor, id);
    this.#assertRoomForAnother(row.hostId);
    const copyId = newId();
    const title = input.title ?? `${row.title} (copy)`.slice(0, 120);
    this.#db.transaction(() => {
      this.#db
        .insert(shows)
        .values({ id: copyId, hostId: row.hostId, title, description: row.description, coverImage: row.coverImage, scheduledAt: copyStart(row.scheduledAt, Date.now()) })
        .run();
      const products = this.#db.select().from(lineup).where(eq(lineup.showId, id)).all();
      for (const p of products) this.#db.insert(lineup).values({ ...p, showId: copyId }).run();
    });
    log.info({ show: copyId, from: id }, 'show duplicated');
    return this.get(copyId);
  }

  /** A host keeps a bounded number of shows scheduled or live: each is a page, a lineup and, once live, a room. */
  #assertRoomForAnother(hostId: string): void {
    const open = this.#db
      .select({ n: count() })
      .from(shows)
      .where(and(eq(shows.hostId, hostId), ne(shows.status, 'ended'), eq(shows.archived, false)))
      .get()!.n;
    const limit = this.#maxOpenShows;
    if (open >= limit) {
      throw new AppError('conflict', `You already have ${limit} shows scheduled or live. End or delete one first.`, { reason: 'show_limit', limit });
    }
  }

  /** Deletes a show without orders; one with orders is archived so they keep it. A live show stays. */
  remove(actor: PublicUser, id: string): 'deleted' | 'archived' {
    const row = this.#ownedBy(actor, id);
    if (row.status === 'live') throw new AppError('conflict', 'A live show cannot be deleted. End it first.', { reason: 'show_live' });
    const outcome = this.#db.transaction(() => {
      if (!this.#db.select({ id: orders.id }).from(orders).where(eq(orders.showId, id)).limit(1).get()) {
        this.#db.delete(shows).where(eq(shows.id, id)).run();
        return 'deleted' as const;
      }
      this.#db.update(shows).set({ archived: true, updatedAt: Date.now() }).where(eq(shows.id, id)).run();
      return 'archived' as const;
    });
    log.info({ show: id }, `show ${outcome}`);
    this.emit('removed', id, outcome);
    return outcome;
  }

  setCover(actor: PublicUser, id: string, file: string): ShowDto {
    this.#ownedBy(actor, id);
    this.#db.update(shows).set({ coverImage: file, updatedAt: Date.now() }).where(eq(shows.id, id)).run();
    return this.get(id);
  }

  goLive(actor: PublicUser, id: string): ShowDto {
    return this.#setState(this.#ownedBy(actor, id), 'live');
  }

  end(actor: PublicUser, id: string): ShowDto {
    return this.#setState(this.#ownedBy(actor, id), 'ended');
  }

  /** The show if `actor` may run it (its host while still a host, or an admin); throws otherwise. */
  assertCanRun(actor: PublicUser | null, id: string): ShowDto {
    if (!actor) throw new AppError('unauthenticated', 'Sign in to host a show.');
    this.#ownedBy(actor, id);
    return this.get(id);
  }

  findDemo(): ShowDto | null {
    const row = this.#db.select({ id: shows.id }).from(shows).where(and(eq(shows.isDemo, true), eq(shows.status, 'live'))).get();
    return row ? this.get(row.id) : null;
  }

  #ownedBy(actor: PublicUser, id: string): ShowRow {
    const row = this.#db.select().from(shows).where(eq(shows.id, id)).get();
    // An archived show is out of its host's hands too: only its orders still read it.
    if (!row || row.archived) throw new AppError('not_found', 'No such show.');
    const role = this.#roleOf(actor);
    if (role === 'admin') return row;
    if (row.hostId !== actor.id) throw new AppError('forbidden', 'This show belongs to another host.');
    if (!canHost(role)) throw new AppError('forbidden', 'Your account no longer has host rights.');
    return row;
  }

  /**
   * The role as stored now, not as the caller's session or socket last saw it, so a
   * demotion takes every host right away at once. A deleted account has none.
   */
  #roleOf(actor: PublicUser): UserRole {
    return this.#db.select({ role: users.role }).from(users).where(eq(users.id, actor.id)).get()?.role ?? 'buyer';
  }

  #setState(row: ShowRow, to: ShowStatus): ShowDto {
    if (!canTransition(row.status, to)) {
      throw new AppError('invalid_state', `A ${row.status} show cannot become ${to}.`);
    }
    const now = Date.now();
    const changes = to === 'live' ? { status: to, startedAt: now } : { status: to, endedAt: now };
    this.#db.update(shows).set({ ...changes, updatedAt: now }).where(eq(shows.id, row.id)).run();
    log.info({ show: row.id }, `show ${row.status} -> ${to}`);
    this.emit('statusChanged', row.id, to);
    return this.get(row.id);
  }

  #toDto(row: ShowRow, hostName: string): ShowDto {
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      status: row.status,
      scheduledAt: row.scheduledAt,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      coverUrl: row.coverImage ? this.#coverUrl(row.coverImage) : null,
      host: { id: row.hostId, displayName: hostName },
      isDemo: row.isDemo
    };
  }
}
