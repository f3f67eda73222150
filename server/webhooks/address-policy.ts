import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors.ts';

/** Where deliveries may go: public addresses only unless the operator allows private ones; https unless http is allowed. */
export interface AddressPolicy {
  allowPrivateAddresses: boolean;
  allowHttp: boolean;
}

/**
 * Whether an address is on the public Internet. Only what ipaddr.js calls plain `unicast` is: loopback, private,
 * link-local, CGNAT, multicast, unspecified, broadcast, reserved, IPv6 unique-local, IPv4-mapped, 6to4, Teredo and
 * NAT64 ranges are not (the last ones can wrap an IPv4 address of any kind).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.parse(address).range() === 'unicast';
}

/** A delivery refused by the address policy; it is logged as the attempt's answer, never sent. */
export class RefusedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedAddressError';
  }
}

/** The host part of a URL as an address or a name: IPv6 without its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Refuses a URL the policy does not allow by its form alone (scheme, credentials, a literal address). */
export function assertUrlForm(url: URL, policy: AddressPolicy): void {
  if (url.protocol !== 'https:' && (url.protocol !== 'http:' || !policy.allowHttp)) throw new AppError('bad_request', 'Webhook URLs must use https.', { reason: 'webhook_https' });
  if (url.username || url.password) throw new AppError('bad_request', 'Put no user name or password in a webhook URL; verify the signature instead.', { reason: 'invalid_input', field: 'url' });
  const host = hostOf(url);
  if (!ipaddr.isValid(host)) return;
  try {
    assertAllowed(host, policy);
  } catch (err) {
    throw new AppError('bad_request', `Webhooks cannot be delivered there: ${(err as Error).message}.`, { reason: 'webhook_address' });
  }
}

/** Resolves a host name to the addresses the policy allows; refuses it when any of them is not allowed. */
export async function resolveAllowed(host: string, policy: AddressPolicy): Promise<LookupAddress[]> {
  if (ipaddr.isValid(host)) {
    assertAllowed(host, policy);
    return [{ address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 }];
  }
  let found: LookupAddress[];
  try {
    found = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new RefusedAddressError(`${host} does not resolve`);
  }
  // One private answer refuses the name: a name that mixes them is a way round the check.
  for (const a of found) assertAllowed(a.address, policy, host);
  if (!found.length) throw new RefusedAddressError(`${host} does not resolve`);
  return found;
}

function assertAllowed(address: string, policy: AddressPolicy, name?: string): void {
  if (policy.allowPrivateAddresses || isPublicAddress(address)) return;
  throw new RefusedAddressError(`${name ? `${name} resolves to ` : ''}${address}, which is not a public address`);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s) agents: the socket connects to the very address the policy checked, so a name cannot
 * resolve to a public address for the check and a private one for the connection.
 */
export function checkedLookup(policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolveAllowed(hostname, policy).then(
      (found) => {
        const wanted = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
        if (!wanted.length) return callback(Object.assign(new RefusedAddressError(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '');
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: Error) => callback(Object.assign(err, { code: 'ENOTFOUND' }), '')
    );
  };
}
