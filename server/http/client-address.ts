import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * The client's address, for every per-address limit. X-Forwarded-For counts only
 * when the hop that added it is a trusted proxy (TRUST_PROXY); otherwise the
 * socket's peer is the client, so a header cannot dodge a limit. Express's
 * `trust proxy` is set from the same list, so `req.ip` agrees with this.
 */
export function clientAddressResolver(trusted: string[] | false): (req: IncomingMessage) => string {
  if (!trusted) return (req) => req.socket.remoteAddress ?? 'unknown';
  const trust = proxyaddr.compile(trusted);
  return (req) => proxyaddr(req, trust);
}
