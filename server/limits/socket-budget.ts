import net from 'node:net';

/**
 * Open sockets counted per client address and per account, so one script cannot
 * hold thousands of connections (each costs memory and, once joined, media ports).
 * A socket without an address key (a host's or admin's own) counts only per account:
 * viewers filling an address's budget never keep a host from their studio.
 */
export class SocketBudget {
  readonly #perAddress: number;
  readonly #perAccount: number;
  readonly #byAddress = new Map<string, number>();
  readonly #byAccount = new Map<string, number>();

  constructor(limits: { perAddress: number; perAccount: number }) {
    this.#perAddress = limits.perAddress;
    this.#perAccount = limits.perAccount;
  }

  /** Takes a place for one socket; returns its release (idempotent), or null when a budget is spent. */
  take(keys: { address: string | null; account: string | null }): (() => void) | null {
    const address = keys.address === null ? null : addressKey(keys.address);
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
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  // Drop zeros so the maps hold only keys with open sockets.
  if (n <= 0) counts.delete(key);
  else counts.set(key, n);
}

/**
 * The budget key of a client address: an IPv4 address itself, an IPv6 address by its
 * /64 (one subscriber's network: a single host can use any of its 2^64 addresses).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
