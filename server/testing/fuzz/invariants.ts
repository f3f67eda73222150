import type Database from 'better-sqlite3';
import type { RunningApp } from '../../app.ts';
import { FuzzSocket } from './fuzz-socket.ts';
import type { RunExecutor } from './executor.ts';
import type { World } from './world.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Room sizes by show, from the server's own rooms. */
function roomSizes(app: RunningApp): Map<string, { peers: number }> {
  return new Map([...app.rooms.openRooms()].map((r) => [r.showId, { peers: r.peerCount }]));
}

/** The viewer sockets in each room, as the sockets themselves report it. */
export type RoomViewers = Map<string, FuzzSocket[]>;

/**
 * Rooms hold exactly the open peers. Every open socket asks whether it is in a room (a
 * `setViewport` answers only for a joined peer); the rooms must hold exactly those peers.
 */
export async function checkRooms(app: RunningApp, run: RunExecutor): Promise<{ violations: string[]; viewers: RoomViewers }> {
  await run.settle();
  const open = run.sockets.filter((s): s is FuzzSocket => !!s && !s.closed);
  const probes = open.map((s) => ({ socket: s, id: s.send([{ method: 'setViewport', data: { width: 1, height: 1 } }])[0]! }));
  await run.settle();
  const violations: string[] = [];
  const peers = new Map<string, number>();
  const viewers: RoomViewers = new Map();
  for (const { socket, id } of probes) {
    const answer = socket.requests.get(id)?.answer;
    if (!answer || socket.closed) continue;
    if (!answer.ok && answer.error?.code !== 'invalid_state') return { violations: [`cannot tell whether ${socket.actor}'s socket is in a room: ${answer.error?.code}`], viewers };
    if (!answer.ok) continue;
    const join = socket.joins.at(-1);
    if (!join) {
      violations.push(`${socket.actor}'s socket is in a room without a join it was told succeeded`);
      continue;
    }
    peers.set(join.showId, (peers.get(join.showId) ?? 0) + 1);
    if (join.role === 'viewer') viewers.set(join.showId, [...(viewers.get(join.showId) ?? []), socket]);
  }
  // A socket dropped just before may still be closing on the server: give it a moment.
  let mismatches: string[] = [];
  for (const deadline = Date.now() + 1_000; ; await sleep(50)) {
    const actual = roomSizes(app);
    mismatches = [...new Set([...actual.keys(), ...peers.keys()])].flatMap((showId) => {
      const has = actual.get(showId)?.peers ?? 0;
      const want = peers.get(showId) ?? 0;
      return has === want ? [] : [`room of show ${showId} holds ${has} peers, but ${want} open sockets are in it`];
    });
    if (!mismatches.length || Date.now() > deadline) break;
  }
  return { violations: [...violations, ...mismatches], viewers };
}

/** Viewer counts equal open peers: once the count's debounce has passed, every viewer was told its room's count. */
export async function checkViewerCounts(run: RunExecutor, viewers: RoomViewers): Promise<string[]> {
  if (!viewers.size) return [];
  await sleep(1_300);
  run.drain();
  return [...viewers].flatMap(([showId, sockets]) =>
    sockets
      .map((s) => s.lastNotification('viewerCount')?.count)
      .filter((told) => told !== sockets.length)
      .map((told) => `a viewer of show ${showId} was last told ${told} viewers; ${sockets.length} are watching`)
  );
}

/** A heart in a live show still reaches its viewers, whatever hearts the run tapped before. */
export async function checkHearts(app: RunningApp, showId: string): Promise<string[]> {
  const viewer = await FuzzSocket.open(`${app.url.replace('http', 'ws')}/ws`, 'anonymous', '');
  if (!viewer) return ['the hearts check could not open a socket'];
  try {
    viewer.send([{ method: 'join', data: { showId, role: 'viewer' } }, { method: 'heart', data: { showId } }]);
    for (const deadline = Date.now() + 3_000; Date.now() < deadline; await sleep(20)) {
      viewer.drain(() => {});
      if (viewer.lastNotification('hearts')) return [];
    }
    const answers = [...viewer.requests.values()].map((r) => `${r.method}: ${JSON.stringify(r.answer)}`).join('; ');
    return [`a heart in a live show reached no viewer within 3 s (${answers})`];
  } finally {
    viewer.destroy();
  }
}

/** Once every socket is gone, no room holds a peer. */
export async function checkNoGhosts(app: RunningApp): Promise<string[]> {
  let sizes = roomSizes(app);
  for (const deadline = Date.now() + 3_000; Date.now() < deadline && [...sizes.values()].some((r) => r.peers > 0); await sleep(50)) sizes = roomSizes(app);
  return [...sizes].filter(([, r]) => r.peers > 0).map(([showId, r]) => `room of show ${showId} still holds ${r.peers} peers after every socket closed`);
}

/**
 * Stock never negative and never oversold: per variant, units in stock plus units held by
 * orders (pending, paid, shipped, or refunded after shipping) equal the units it started with.
 */
export function checkStock(db: Database.Database, world: World, fulfilled: ReadonlySet<string>): string[] {
  const violations: string[] = [];
  const held = db.prepare(
    `SELECT o.id AS orderId, o.status AS status, i.quantity AS quantity FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.variant_id = ?`
  );
  const stockOf = db.prepare('SELECT stock FROM variants WHERE id = ?');
  for (const [variantId, initial] of world.initialStock) {
    const stock = (stockOf.get(variantId) as { stock: number } | undefined)?.stock ?? 0;
    if (stock < 0) violations.push(`variant ${variantId} has stock ${stock}`);
    let units = 0;
    for (const row of held.all(variantId) as { orderId: string; status: string; quantity: number }[]) {
      if (['pending_payment', 'paid', 'fulfilled'].includes(row.status) || (row.status === 'refunded' && fulfilled.has(row.orderId))) units += row.quantity;
    }
    if (stock + units !== initial) violations.push(`variant ${variantId} started with ${initial} units; now ${stock} in stock and ${units} held by orders`);
  }
  return violations;
}

/** No row anywhere names a show that does not exist, and no room is open for one. */
export function checkUnknownShows(db: Database.Database, app: RunningApp): string[] {
  const violations: string[] = [];
  const tables = db.prepare(`SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'show_id'`).all() as { name: string }[];
  for (const { name } of tables) {
    const row = db.prepare(`SELECT count(*) AS n FROM "${name}" WHERE show_id IS NOT NULL AND show_id NOT IN (SELECT id FROM shows)`).get() as { n: number };
    if (row.n) violations.push(`${row.n} rows of ${name} name a show that does not exist`);
  }
  const known = db.prepare('SELECT 1 FROM shows WHERE id = ?');
  for (const room of app.rooms.openRooms()) if (!known.get(room.showId)) violations.push(`a room is open for show ${room.showId}, which does not exist`);
  return violations;
}
