import { and, asc, count, desc, eq, ne, notExists, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { ShowRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import { recordWebhookEvent } from '../webhooks/outbox.ts';
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
  readonly #repo: Repo;
  readonly #coverUrl: (file: string) => string;
  readonly #maxOpenShows: number;

  constructor(repo: Repo, opts: { coverUrl?: (file: string) => string; maxOpenShows?: number } = {}) {
    super();
    this.#repo = repo;
    this.#coverUrl = opts.coverUrl ?? ((f) => `/media/covers/${f}`);
    this.#maxOpenShows = opts.maxOpenShows ?? MAX_OPEN_SHOWS;
  }

  async list(status?: ShowStatus): Promise<ShowDto[]> {
    const { db, t } = this.#repo;
    const { shows } = t;
    // Live and upcoming shows soonest first; ended ones most recent first.
    const order = status === 'ended' ? desc(shows.endedAt) : asc(shows.scheduledAt);
    const rows = await this.#repo.all(
      this.#withHost(db).where(and(eq(shows.archived, false), status ? eq(shows.status, status) : undefined)).orderBy(order).limit(200)
    );
    return rows.map((r) => this.#toDto(r.show, r.hostName));
  }

  /** The host's own shows, of every status, newest start first. */
  async hostedBy(hostId: string): Promise<ShowDto[]> {
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(
      this.#withHost(db).where(and(eq(t.shows.hostId, hostId), eq(t.shows.archived, false))).orderBy(desc(t.shows.scheduledAt)).limit(200)
    );
    return rows.map((r) => this.#toDto(r.show, r.hostName));
  }

  /** Still readable when archived: its orders point at it. */
  async get(id: string): Promise<ShowDto> {
    const { db, t } = this.#repo;
    const r = await this.#repo.one(this.#withHost(db).where(eq(t.shows.id, id)));
    if (!r) throw new AppError('not_found', 'No such show.');
    return this.#toDto(r.show, r.hostName);
  }

  /** The show's host, or null for a show that is gone (a room may outlive its show). */
  async hostId(id: string): Promise<string | null> {
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.select({ hostId: t.shows.hostId }).from(t.shows).where(eq(t.shows.id, id))))?.hostId ?? null;
  }

  async create(host: PublicUser, input: CreateShowInput, opts: { isDemo?: boolean } = {}): Promise<ShowDto> {
    if (!canHost(await this.#roleOf(host))) throw new AppError('forbidden', 'Only hosts can create shows.');
    assertNotPast(input.scheduledAt);
    await this.#assertRoomForAnother(host.id);
    const id = newId();
    const { db, t } = this.#repo;
    await this.#repo.changes(
      db.insert(t.shows).values({ id, hostId: host.id, title: input.title, description: input.description, scheduledAt: input.scheduledAt, isDemo: opts.isDemo ?? false })
    );
    log.info({ show: id, host: host.id }, 'show created');
    return this.get(id);
  }

  async update(actor: PublicUser, id: string, input: UpdateShowInput): Promise<ShowDto> {
    const row = await this.#ownedBy(actor, id);
    if (row.status === 'ended') throw new AppError('invalid_state', 'An ended show can no longer be edited.');
    // Moving the start is checked; an edit that keeps a started show's original time is not.
    if (input.scheduledAt !== undefined && input.scheduledAt !== row.scheduledAt) assertNotPast(input.scheduledAt);
    const { db, t } = this.#repo;
    await this.#repo.changes(db.update(t.shows).set({ ...input, updatedAt: Date.now() }).where(eq(t.shows.id, id)));
    return this.get(id);
  }

  /**
   * A new scheduled show with the original's title (or the one given), description, cover and
   * lineup; nothing that happened in the original (lots, orders, chat, pushes, stats) comes along.
   */
  async duplicate(actor: PublicUser, id: string, input: DuplicateShowInput): Promise<ShowDto> {
    const row = await this.#ownedBy(actor, id);
    await this.#assertRoomForAnother(row.hostId);
    const copyId = newId();
    const title = input.title ?? `${row.title} (copy)`.slice(0, 120);
    const { db, t } = this.#repo;
    // Two statements, no transaction (see `remove`): a copy whose lineup could not be written is taken back.
    await this.#repo.changes(
      db.insert(t.shows).values({ id: copyId, hostId: row.hostId, title, description: row.description, coverImage: row.coverImage, scheduledAt: copyStart(row.scheduledAt, Date.now()) })
    );
    try {
      const { lineup } = t;
      await this.#repo.changes(
        db.insert(lineup).select(db.select({ showId: sql<string>`${copyId}`.as('show_id'), productId: lineup.productId, position: lineup.position }).from(lineup).where(eq(lineup.showId, id)))
      );
    } catch (err) {
      await this.#repo.changes(db.delete(t.shows).where(eq(t.shows.id, copyId)));
      throw err;
    }
    log.info({ show: copyId, from: id }, 'show duplicated');
    return this.get(copyId);
  }

  /** A host keeps a bounded number of shows scheduled or live: each is a page, a lineup and, once live, a room. */
  async #assertRoomForAnother(hostId: string): Promise<void> {
    const { db, t } = this.#repo;
    const { shows } = t;
    const open = (await this.#repo.one(db.select({ n: count() }).from(shows).where(and(eq(shows.hostId, hostId), ne(shows.status, 'ended'), eq(shows.archived, false)))))!.n;
    const limit = this.#maxOpenShows;
    if (open >= limit) {
      throw new AppError('conflict', `You already have ${limit} shows scheduled or live. End or delete one first.`, { reason: 'show_limit', limit });
    }
  }

  /** Deletes a show without orders; one with orders is archived so they keep it. A live show stays. */
  async remove(actor: PublicUser, id: string): Promise<'deleted' | 'archived'> {
    const row = await this.#ownedBy(actor, id);
    const live = () => new AppError('conflict', 'A live show cannot be deleted. End it first.', { reason: 'show_live' });
    if (row.status === 'live') throw live();
    // Single statements rather than a transaction: while other domains still write through SQLite's one
    // connection directly, their writes would land inside a repository transaction that spans awaits.
    // Each statement checks, as it runs, that the show is not live and (to delete it) that no order points at it.
    const { db, t } = this.#repo;
    const notLive = and(eq(t.shows.id, id), ne(t.shows.status, 'live'));
    const hasOrders = db.select({ id: t.orders.id }).from(t.orders).where(eq(t.orders.showId, id));
    const deleted = await this.#repo.changes(db.delete(t.shows).where(and(notLive, notExists(hasOrders))));
    if (!deleted && !(await this.#repo.changes(db.update(t.shows).set({ archived: true, updatedAt: Date.now() }).where(notLive)))) throw live();
    const outcome = deleted ? ('deleted' as const) : ('archived' as const);
    log.info({ show: id }, `show ${outcome}`);
    this.emit('removed', id, outcome);
    return outcome;
  }

  async setCover(actor: PublicUser, id: string, file: string): Promise<ShowDto> {
    await this.#ownedBy(actor, id);
    const { db, t } = this.#repo;
    await this.#repo.changes(db.update(t.shows).set({ coverImage: file, updatedAt: Date.now() }).where(eq(t.shows.id, id)));
    return this.get(id);
  }

  async goLive(actor: PublicUser, id: string): Promise<ShowDto> {
    return this.#setState(await this.#ownedBy(actor, id), 'live');
  }

  async end(actor: PublicUser, id: string): Promise<ShowDto> {
    return this.#setState(await this.#ownedBy(actor, id), 'ended');
  }

  /** The show if `actor` may run it (its host while still a host, or an admin); throws otherwise. */
  async assertCanRun(actor: PublicUser | null, id: string): Promise<ShowDto> {
    if (!actor) throw new AppError('unauthenticated', 'Sign in to host a show.');
    await this.#ownedBy(actor, id);
    return this.get(id);
  }

  async findDemo(): Promise<ShowDto | null> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select({ id: t.shows.id }).from(t.shows).where(and(eq(t.shows.isDemo, true), eq(t.shows.status, 'live'))));
    return row ? this.get(row.id) : null;
  }

  #withHost(db: Repo['db']) {
    const { shows, users } = this.#repo.t;
    return db.select({ show: shows, hostName: users.displayName }).from(shows).innerJoin(users, eq(users.id, shows.hostId)).$dynamic();
  }

  async #ownedBy(actor: PublicUser, id: string): Promise<ShowRow> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select().from(t.shows).where(eq(t.shows.id, id)));
    // An archived show is out of its host's hands too: only its orders still read it.
    if (!row || row.archived) throw new AppError('not_found', 'No such show.');
    const role = await this.#roleOf(actor);
    if (role === 'admin') return row;
    if (row.hostId !== actor.id) throw new AppError('forbidden', 'This show belongs to another host.');
    if (!canHost(role)) throw new AppError('forbidden', 'Your account no longer has host rights.');
    return row;
  }

  /**
   * The role as stored now, not as the caller's session or socket last saw it, so a
   * demotion takes every host right away at once. A deleted account has none.
   */
  async #roleOf(actor: PublicUser): Promise<UserRole> {
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.select({ role: t.users.role }).from(t.users).where(eq(t.users.id, actor.id))))?.role ?? 'buyer';
  }

  async #setState(row: ShowRow, to: ShowStatus): Promise<ShowDto> {
    if (!canTransition(row.status, to)) {
      throw new AppError('invalid_state', `A ${row.status} show cannot become ${to}.`);
    }
    const now = Date.now();
    const changes = to === 'live' ? { status: to, startedAt: now } : { status: to, endedAt: now };
    await this.#repo.tx(async () => {
      const { db, t } = this.#repo;
      // Only from the state it was read in: of two requests (on any node) racing to move a show, one does.
      const moved = await this.#repo.changes(db.update(t.shows).set({ ...changes, updatedAt: now }).where(and(eq(t.shows.id, row.id), eq(t.shows.status, row.status))));
      if (moved === 0) throw new AppError('invalid_state', `The show is no longer ${row.status}.`);
      const show = { id: row.id, title: row.title };
      await recordWebhookEvent(this.#repo, to === 'live'
        ? { hostId: row.hostId, showId: row.id, type: 'show.live', at: now, data: { show: { ...show, startedAt: now } } }
        : { hostId: row.hostId, showId: row.id, type: 'show.ended', at: now, data: { show: { ...show, startedAt: row.startedAt, endedAt: now } } });
    });
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
