// Runs inside the page (addInitScript), as plain JavaScript: a bundler's helpers must not leak in.
// window.__timestamps.watch(video) reads the timestamp from every frame the video presents and returns
// its tally: `latencies` (ms from the host's paint to this presentation), `stalls` (playback stopped
// for want of data) and `seeks` (waits after the player jumped). One small canvas serves every video of the page.
(() => {
  const COLS = 8, ROWS = 3, BITS = 24, MOD = 2 ** BITS;
  // A few pixels per block: reading a hundred full frames 30 times a second would load the
  // machine more than the video path being measured.
  const CELL = 8, W = COLS * CELL, H = ROWS * CELL;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });

  /** The painted timestamp (low 24 bits of Date.now()) in the video's current frame. */
  const read = (video) => {
    ctx.drawImage(video, 0, 0, W, H);
    const pixels = ctx.getImageData(0, 0, W, H).data;
    let value = 0;
    for (let i = 0; i < BITS; i++) {
      const o = ((Math.floor(i / COLS) * CELL + CELL / 2) * W + (i % COLS) * CELL + CELL / 2) * 4;
      if (pixels[o] + pixels[o + 1] + pixels[o + 2] > 384) value += 2 ** i;
    }
    return value;
  };

  window.__timestamps = {
    watch(video) {
      const tally = { latencies: [], stalls: 0, seeks: 0 };
      const onFrame = () => {
        const now = Date.now();
        if (video.videoWidth > 0 && video.videoHeight > 0) {
          // The high bits come from this clock: same machine, same clock.
          const latency = (((now - read(video)) % MOD) + MOD) % MOD;
          if (latency < 10_000) tally.latencies.push(latency);
        }
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
      // A jump the player makes on purpose (back to the live edge) waits too, but it skips rather than stalls.
      video.addEventListener('waiting', () => video.seeking ? tally.seeks++ : tally.stalls++);
      return tally;
    }
  };
})();
