import type { Session, SessionEvents } from '../auth/session.ts';
import type { SocketIdentity } from './connection.ts';

/** Where revocations are heard: the session store itself, or every node's (cluster mode). */
export interface Revocations {
  on(event: 'revoked', listener: (...args: SessionEvents['revoked']) => void): unknown;
}

/**
 * The signed-in sockets of each session and user, so a revoked session (sign-out,
 * expiry) or a user whose rights changed (demotion) loses its open sockets at once.
 */
export class SessionSockets {
  readonly #bySession = new Map<string, Set<SocketIdentity>>();
  readonly #byUser = new Map<string, Set<SocketIdentity>>();

  constructor(revocations: Revocations) {
    revocations.on('revoked', (whose) => {
      const found = 'sessionId' in whose ? this.#bySession.get(whose.sessionId) : this.#byUser.get(whose.userId);
      // Copied: losing an identity closes its socket, which untracks it while we iterate.
      for (const identity of [...(found ?? [])]) identity.lost();
    });
  }

  /** Tracks a socket's identity until the returned function is called (when the socket closes). */
  track(session: Session, identity: SocketIdentity): () => void {
    add(this.#bySession, session.id, identity);
    add(this.#byUser, session.userId, identity);
    return () => {
      remove(this.#bySession, session.id, identity);
      remove(this.#byUser, session.userId, identity);
    };
  }
}

function add(index: Map<string, Set<SocketIdentity>>, key: string, identity: SocketIdentity): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(identity);
}

function remove(index: Map<string, Set<SocketIdentity>>, key: string, identity: SocketIdentity): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(identity);
  if (set.size === 0) index.delete(key);
}
