// Runs inside the page (addInitScript), as plain JavaScript: a bundler's helpers must not leak in.
// Replaces getUserMedia with a 1280×720 canvas painting the low 24 bits of Date.now() as blocks, plus a tone.
(() => {
  const W = 1280, H = 720, COLS = 8, ROWS = 3, BITS = 24;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#404040';
  ctx.fillRect(0, 0, W, H);
  // Only the blocks whose bit flipped are repainted: a full 720p repaint 200 times a second would cost the
  // shared cores more than a real camera does.
  let shown = -1;
  const draw = () => {
    const now = Date.now() % 2 ** BITS;
    for (let i = 0; i < BITS; i++) {
      const bit = Math.floor(now / 2 ** i) % 2;
      if (shown >= 0 && bit === Math.floor(shown / 2 ** i) % 2) continue;
      ctx.fillStyle = bit ? '#ffffff' : '#000000';
      const bw = W / COLS, bh = H / ROWS;
      ctx.fillRect((i % COLS) * bw + 4, Math.floor(i / COLS) * bh + 4, bw - 8, bh - 8);
    }
    shown = now;
  };
  draw();
  setInterval(draw, 5);
  navigator.mediaDevices.getUserMedia = async () => {
    const video = canvas.captureStream(30).getVideoTracks()[0];
    const audioCtx = new AudioContext();
    const osc = audioCtx.createOscillator();
    const dest = audioCtx.createMediaStreamDestination();
    osc.connect(dest);
    osc.start();
    return new MediaStream([video, ...dest.stream.getAudioTracks()]);
  };
})();
