import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { TransportInfo } from '$shared/protocol';
import type { RealtimeClient } from '$lib/realtime/realtime-client';

/**
 * Loads a Device for the room's router and opens one WebRTC transport with the
 * server, wiring DTLS `connect` to the realtime client. Returns null when `stale()` says the
 * caller moved on (a newer join) while this was under way.
 */
export async function openTransport(opts: {
  client: RealtimeClient;
  routerRtpCapabilities: unknown;
  direction: 'send' | 'recv';
  stale: () => boolean;
}): Promise<{ device: Device; transport: types.Transport } | null> {
  const device = new Device();
  await device.load({ routerRtpCapabilities: opts.routerRtpCapabilities as types.RtpCapabilities });
  const info: TransportInfo = await opts.client.request('createTransport', { direction: opts.direction });
  if (opts.stale()) return null;
  const params = {
    id: info.id,
    iceParameters: info.iceParameters as types.IceParameters,
    iceCandidates: info.iceCandidates as types.IceCandidate[],
    dtlsParameters: info.dtlsParameters as types.DtlsParameters,
    iceServers: info.iceServers
  };
  const transport = opts.direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
  transport.on('connect', ({ dtlsParameters }, ok, fail) => {
    opts.client.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(() => ok(), fail);
  });
  return { device, transport };
}
