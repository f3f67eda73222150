/**
 * Glass-to-glass timing through real video: the sender paints the low 24 bits of
 * Date.now() as black/white blocks; the receiver reads them back from decoded frames
 * and restores the high bits from its own clock (same machine, same clock).
 * Both functions run inside pages (addInitScript), so they are self-contained.
 */

/** Replaces getUserMedia with a 1280×720 canvas carrying timestamps plus a tone. */
export function installTimestampCamera(): void {
  const W = 1280, H = 720, COLS = 8, ROWS = 3, BITS = 24;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d')!;
  const draw = () => {
    const now = Date.now();
    ctx.fillStyle = '#404040';
    ctx.fillRect(0, 0, W, H);
    for (let i = 0; i < BITS; i++) {
      const bit = Math.floor(now / 2 ** i) % 2;
      ctx.fillStyle = bit ? '#ffffff' : '#000000';
      const bw = W / COLS, bh = H / ROWS;
      ctx.fillRect((i % COLS) * bw + 4, Math.floor(i / COLS) * bh + 4, bw - 8, bh - 8);
    }
  };
  draw();
  setInterval(draw, 5);
  navigator.mediaDevices.getUserMedia = async () => {
    const video = canvas.captureStream(30).getVideoTracks()[0]!;
    const audioCtx = new AudioContext();
    const osc = audioCtx.createOscillator();
    const dest = audioCtx.createMediaStreamDestination();
    osc.connect(dest);
    osc.start();
    return new MediaStream([video, ...dest.stream.getAudioTracks()]);
  };
}

/** Reads the timestamp from every decoded frame of the room's video into window.__latencies. */
export function installTimestampReader(): void {
  const COLS = 8, ROWS = 3, BITS = 24, MOD = 2 ** BITS;
  const w = window as unknown as { __latencies: number[] };
  w.__latencies = [];
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const attach = () => {
    const video = document.querySelector<HTMLVideoElement>('video[data-testid="room-video"]');
    if (!video) return void setTimeout(attach, 100);
    const onFrame = () => {
      const now = Date.now();
      const vw = video.videoWidth, vh = video.videoHeight;
      if (vw > 0 && vh > 0) {
        if (canvas.width !== vw || canvas.height !== vh) {
          canvas.width = vw;
          canvas.height = vh;
        }
        ctx.drawImage(video, 0, 0, vw, vh);
        const pixels = ctx.getImageData(0, 0, vw, vh).data;
        let value = 0;
        for (let i = 0; i < BITS; i++) {
          const x = Math.floor(((i % COLS) + 0.5) * (vw / COLS));
          const y = Math.floor((Math.floor(i / COLS) + 0.5) * (vh / ROWS));
          const o = (y * vw + x) * 4;
          if (pixels[o]! + pixels[o + 1]! + pixels[o + 2]! > 384) value += 2 ** i;
        }
        const latency = (((now - value) % MOD) + MOD) % MOD;
        if (latency < 10_000) w.__latencies.push(latency);
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  attach();
}
