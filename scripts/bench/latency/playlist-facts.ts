/** What the LL-HLS packager publishes now: renditions, PART-TARGET, and the distinct part and segment durations (s). */
export async function playlistFacts(base: string, showId: string) {
  const master = await (await fetch(`${base}/hls/${showId}/master.m3u8`)).text();
  const uris = master.split('\n').filter((l) => l && !l.startsWith('#'));
  const media = await (await fetch(new URL(uris[0]!, `${base}/hls/${showId}/`))).text();
  const distinct = (re: RegExp) => [...new Set([...media.matchAll(re)].map((m) => Number(m[1]).toFixed(3)))].map(Number);
  return {
    renditions: uris.length,
    partTarget: Number(/PART-TARGET=([\d.]+)/.exec(media)?.[1]),
    parts: distinct(/#EXT-X-PART:DURATION=([\d.]+)/g),
    segments: distinct(/#EXTINF:([\d.]+)/g)
  };
}
