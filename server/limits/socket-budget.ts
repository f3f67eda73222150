import { addressBucket } from './rate-limit.ts';

/** Whose a socket is: the client's address (null for a host's or admin's own socket) and the signed-in account. */
export interface SocketOwner {
  address: string | null;
  account: string | null;
}

/**
 * Open sockets counted per client address and per account, so one script cannot
 * hold thousands of connections (each costs memory and, once joined, media ports).
 * A socket without an address key (a host's or admin's own) counts only per account:
 * viewers filling an address's budget never keep a host from their studio.
 */
export interface SocketBudget {
  /** Takes a place for one socket; resolves to its release (idempotent), or null when a budget is spent. */
  take(owner: SocketOwner): Promise<(() => void) | null>;
  close(): void;
}

/** The budget of one process, in memory. */
export class MemorySocketBudget implements SocketBudget {
  readonly #perAddress: number;
  readonly #perAccount: number;
  readonly #byAddress = new Map<string, number>();
  readonly #byAccount = new Map<string, number>();

  constructor(limits: { perAddress: number; perAccount: number }) {
    this.#perAddress = limits.perAddress;
    this.#perAccount = limits.perAccount;
  }

  take(owner: SocketOwner): Promise<(() => void) | null> {
    return Promise.resolve(this.takeNow(owner));
  }

  /** `take`, answered at once. */
  takeNow(keys: SocketOwner): (() => void) | null {
    const address = keys.address === null ? null : addressBucket(keys.address);
    const account = keys.account;
    if (address !== null && (this.#byAddress.get(address) ?? 0) >= this.#perAddress) return null;
    if (account !== null && (this.#byAccount.get(account) ?? 0) >= this.#perAccount) return null;
    if (address !== null) bump(this.#byAddress, address, 1);
    if (account !== null) bump(this.#byAccount, account, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (address !== null) bump(this.#byAddress, address, -1);
      if (account !== null) bump(this.#byAccount, account, -1);
    };
  }

  close(): void {}
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  // Drop zeros so the maps hold only keys with open sockets.
  if (n <= 0) counts.delete(key);
  else counts.set(key, n);
}
