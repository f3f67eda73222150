import type { RunningApp } from '../app.ts';

/** RTP packets the show's room received from its producers during `windowMs` (0 while there is no room). */
export async function producerPacketsDuring(app: RunningApp, showId: string, windowMs = 500): Promise<number> {
  const count = async () => {
    const room = await app.rooms.find(showId)?.catch(() => undefined);
    if (!room || room.closed) return 0;
    let packets = 0;
    for (const p of room.producers()) for (const s of await p.getStats().catch(() => [])) packets += s.packetCount;
    return packets;
  };
  const before = await count();
  await new Promise((r) => setTimeout(r, windowMs));
  return Math.max(0, (await count()) - before);
}
