import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { logger } from '../log.ts';
import { isAllowedOrigin } from '../http/origin.ts';
import { type SessionStore, type SessionValidation } from '../auth/session.ts';
import { readCookie, SESSION_COOKIE } from '../auth/session-cookie.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import { MAX_WS_MESSAGE_BYTES } from '#shared/protocol.ts';
import type { PublicUser } from '#shared/auth.ts';
import { Connection, type SocketIdentity } from './connection.ts';
import { signalingHandlers } from './signaling.ts';
import type { DomainHandlers } from './signaling.ts';
import { SessionSockets, type Revocations } from './session-sockets.ts';
import type { SocketBudget } from '../limits/socket-budget.ts';

const log = logger('ws');
export const WS_PATH = '/ws';
/** Close code telling the client its session ended or changed: reconnect (as whoever the cookie now says). */
export const SESSION_ENDED = 4001;

/**
 * The realtime endpoint. The upgrade checks Origin (SvelteKit's CSRF check does not
 * cover WebSockets), the socket budgets, and resolves the session with the same
 * function HTTP uses; anonymous sockets may watch, publishing needs the show's host.
 * A socket's identity lasts only as long as its session: sign-out, expiry and role
 * changes end it.
 */
export function attachWebSocketServer(opts: {
  server: Server;
  sessions: SessionStore;
  shows: Shows;
  rooms: RoomRegistry;
  /** Requests beyond media signalling (auctions, overlay…), bound to the socket's user. */
  domainHandlers: (user: PublicUser | null, connectionId: string) => DomainHandlers;
  allowedOrigins: readonly string[];
  /** The client's address for the per-address budget (see http/client-address.ts). */
  clientAddress: (req: IncomingMessage) => string;
  /** Open sockets per address and account: this node's, or the cluster's. */
  socketBudget: SocketBudget;
  /** Sessions revoked on this node, or on any node. */
  revocations: Revocations;
}): WebSocketServer {
  // Frames up to 16× the protocol limit are read and answered with an error; beyond that ws closes the socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES * 16 });
  const signedIn = new SessionSockets(opts.revocations);
  let nextConnection = 1;

  opts.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset mid-handshake must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head).catch((err: unknown) => {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'malformed upgrade refused');
      refuse(socket, 400, 'Bad Request');
    });
  });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const target = req.url ?? '';
    // Origin-form only ("/ws?…"): "//host/…" and absolute URLs are not ours to interpret.
    if (!target.startsWith('/') || target.startsWith('//')) return refuse(socket, 400, 'Bad Request');
    if (target.split('?', 1)[0] !== WS_PATH) return refuse(socket, 404, 'Not Found');
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, opts.allowedOrigins)) {
      log.warn({ origin: req.headers.origin }, 'ws upgrade from a foreign origin refused');
      return refuse(socket, 403, 'Forbidden');
    }
    // API tokens are for /api only: a client that sends one here is told so, rather than taken as the cookie's user or as anonymous.
    if (req.headers.authorization !== undefined) return refuse(socket, 401, 'Unauthorized');
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const auth = await opts.sessions.validate(token);
    const runsShows = auth?.user.role === 'host' || auth?.user.role === 'admin';
    const release = await opts.socketBudget.take({ address: runsShows ? null : opts.clientAddress(req), account: auth?.user.id ?? null });
    if (!release) return refuse(socket, 429, 'Too Many Requests');
    // The client may have gone while its place was counted.
    if (socket.destroyed) return release();
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      try {
        onConnection(ws, auth && token ? { auth, token } : null);
      } catch (err) {
        log.error({ err }, 'could not set up a connection');
        ws.terminate();
      }
    });
  }

  function onConnection(ws: WebSocket, signIn: { auth: SessionValidation; token: string } | null) {
    const user = signIn?.auth.user ?? null;
    const connectionId = `conn-${nextConnection++}`;
    const connLog = log.child({ conn: connectionId, user: user?.id ?? 'anonymous' });
    let connection: Connection | null = null;
    const signaling = signalingHandlers({
      user,
      shows: opts.shows,
      rooms: opts.rooms,
      send: (text) => connection?.sendText(text)
    });
    let identity: SocketIdentity | null = null;
    if (signIn) {
      let expiresAt = signIn.auth.session.expiresAt;
      let revoked = false;
      identity = {
        // Sign-out and role changes arrive as `revoked` events (see SessionSockets). Past the
        // expiry it had, the session is looked up again: HTTP use may have slid it, or it is gone.
        valid: () => {
          if (revoked) return false;
          if (Date.now() < expiresAt) return true;
          return opts.sessions.validate(signIn.token).then((now) => {
            if (!now || now.user.role !== signIn.auth.user.role) return false;
            expiresAt = now.session.expiresAt;
            return true;
          });
        },
        lost: () => {
          revoked = true;
          // Media rights go at once, not when the client acknowledges the close. The close
          // frame waits a turn so a request refused for this reason still gets its answer.
          signaling.close();
          setImmediate(() => ws.close(SESSION_ENDED, 'Session ended'));
        }
      };
      const untrack = signedIn.track(signIn.auth.session, identity);
      ws.once('close', untrack);
    }
    connection = new Connection(ws, { ...signaling.handlers, ...opts.domainHandlers(user, connectionId) }, connLog, identity);
    // Dead peers (no pong) are dropped so their transports close.
    let alive = true;
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, 15_000);
    ws.on('close', () => {
      clearInterval(heartbeat);
      signaling.close();
    });
    ws.on('error', (err) => connLog.warn({ err: err.message }, 'socket error'));
  }

  return wss;
}

/** Answers a refused upgrade with a bare status and closes the socket once the answer is out. */
function refuse(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
