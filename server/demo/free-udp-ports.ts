import dgram from 'node:dgram';

/** `count` UDP ports on `ip` that were free a moment ago (bound once, then released). */
export async function freeUdpPorts(ip: string, count: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => {
      const socket = dgram.createSocket('udp4');
      return new Promise<dgram.Socket>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, ip, () => resolve(socket));
      });
    })
  );
  // All bound at once, so the ports differ; released together for FFmpeg to bind.
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}
