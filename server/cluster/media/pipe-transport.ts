import type { types } from 'mediasoup';
import type { PipeEndpoint, PipeListen } from './pipe-protocol.ts';

/** One end of a show's pipe between nodes, on `router`: SRTP with RTX, in the node's media port range. */
export function createPipe(router: types.Router, { ip, announcedAddress, portRange }: PipeListen): Promise<types.PipeTransport> {
  return router.createPipeTransport({ listenInfo: { protocol: 'udp', ip, announcedAddress, portRange }, enableSrtp: true, enableRtx: true });
}

/** Points this end at the other node's, with the key that node sends with. */
export function connectPipe(transport: types.PipeTransport, endpoint: PipeEndpoint): Promise<void> {
  return transport.connect({ ip: endpoint.ip, port: endpoint.port, srtpParameters: endpoint.srtp });
}

/** This end, as the other node is told it. */
export function endpointOf(transport: types.PipeTransport): PipeEndpoint {
  const { localAddress, localIp, localPort } = transport.tuple as types.TransportTuple & { localIp?: string };
  const srtp = transport.srtpParameters;
  if (!srtp) throw new Error('pipe transport without SRTP');
  return { ip: localAddress ?? localIp!, port: localPort, srtp };
}
