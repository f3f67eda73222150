// Runs inside the page (addInitScript), as plain JavaScript: a bundler's helpers must not leak in.
// Reads the timestamp from every decoded frame of the room's video (WebRTC or LL-HLS) into window.__latencies,
// and notes in window.__notices which frame was on screen when each host notice appeared over the video.
(() => {
  const COLS = 8, ROWS = 3, BITS = 24, MOD = 2 ** BITS;
  const w = window;
  w.__latencies = [];
  w.__notices = [];
  // Over LL-HLS, how far the player says it is behind the playlist's live edge (the room's mode badge), in ms.
  w.__behindLive = [];
  w.__stalls = 0;
  setInterval(() => {
    const m = /([\d.]+) s behind/.exec(document.querySelector('[data-testid="media-mode"]')?.textContent ?? '');
    if (m) w.__behindLive.push(Number(m[1]) * 1000);
  }, 500);
  /** When the frame on screen was painted by the host (ms since the epoch). */
  let frameCapturedAt = null;
  let noticeText = null;
  new MutationObserver(() => {
    const text = document.querySelector('[data-testid="notice"]')?.textContent ?? null;
    if (text === noticeText) return;
    noticeText = text;
    if (text !== null && frameCapturedAt !== null) w.__notices.push({ text, frameCapturedAt });
  }).observe(document, { subtree: true, childList: true, characterData: true });
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const attach = () => {
    const video = document.querySelector('video[data-testid="room-video"], video[data-testid="hls-video"]');
    if (!video) return void setTimeout(attach, 100);
    const onFrame = () => {
      const now = Date.now();
      if (video.videoWidth > 0 && video.videoHeight > 0) {
        // Scale the frame down to a few pixels per block: reading 20 tabs' full frames would
        // load the machine more than the video path being measured.
        const vw = COLS * 8, vh = ROWS * 8;
        if (canvas.width !== vw) {
          canvas.width = vw;
          canvas.height = vh;
        }
        ctx.drawImage(video, 0, 0, vw, vh);
        const pixels = ctx.getImageData(0, 0, vw, vh).data;
        let value = 0;
        for (let i = 0; i < BITS; i++) {
          const x = (i % COLS) * 8 + 4;
          const y = Math.floor(i / COLS) * 8 + 4;
          const o = (y * vw + x) * 4;
          if (pixels[o] + pixels[o + 1] + pixels[o + 2] > 384) value += 2 ** i;
        }
        const latency = (((now - value) % MOD) + MOD) % MOD;
        if (latency < 10_000) {
          w.__latencies.push(latency);
          frameCapturedAt = now - latency;
        }
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    // Rebuffering: playback stopped for want of data.
    video.addEventListener('waiting', () => w.__stalls++);
    // The room swaps its video element when the viewer changes mode: follow the new one.
    const watch = setInterval(() => {
      if (!video.isConnected) {
        clearInterval(watch);
        attach();
      }
    }, 200);
  };
  attach();
})();
