import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { logger } from '../log.ts';
import { isAllowedOrigin } from '../http/origin.ts';
import { readCookie, SESSION_COOKIE, type SessionStore } from '../auth/session.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import { MAX_WS_MESSAGE_BYTES } from '#shared/protocol.ts';
import type { PublicUser } from '#shared/auth.ts';
import { Connection } from './connection.ts';
import { signalingHandlers } from './signaling.ts';
import type { DomainHandlers } from './signaling.ts';

const log = logger('ws');
export const WS_PATH = '/ws';

/**
 * The realtime endpoint. The upgrade checks Origin (SvelteKit's CSRF check does not
 * cover WebSockets) and resolves the session with the same function HTTP uses;
 * anonymous sockets may watch, publishing needs the show's host.
 */
export function attachWebSocketServer(opts: {
  server: Server;
  sessions: SessionStore;
  shows: Shows;
  rooms: RoomRegistry;
  /** Requests beyond media signalling (auctions, overlay…), bound to the socket's user. */
  domainHandlers: (user: PublicUser | null, connectionId: string) => DomainHandlers;
  allowedOrigins: readonly string[];
}): WebSocketServer {
  // Frames up to 16× the protocol limit are read and answered with an error; beyond that ws closes the socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES * 16 });
  let nextConnection = 1;

  opts.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return socket.destroy();
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, opts.allowedOrigins)) {
      log.warn({ origin: req.headers.origin }, 'ws upgrade from a foreign origin refused');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const auth = opts.sessions.validate(readCookie(req.headers.cookie, SESSION_COOKIE));
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, auth?.user ?? null));
  });

  function onConnection(ws: WebSocket, user: PublicUser | null) {
    const connectionId = `conn-${nextConnection++}`;
    const connLog = log.child({ conn: connectionId, user: user?.id ?? 'anonymous' });
    let connection: Connection | null = null;
    const session = signalingHandlers({
      user,
      shows: opts.shows,
      rooms: opts.rooms,
      send: (text) => connection?.sendText(text)
    });
    connection = new Connection(ws, { ...session.handlers, ...opts.domainHandlers(user, connectionId) }, connLog);
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
      session.close();
    });
    ws.on('error', (err) => connLog.warn({ err: err.message }, 'socket error'));
  }

  return wss;
}
