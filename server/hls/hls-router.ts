/**
 * HTTP for LL-HLS: the live multivariant and media playlists (with blocking
 * reload), parts, segments and init segments from memory; the recording (VOD)
 * and poster from disk. Paths, under `/hls/:showId/`:
 *   master.m3u8                         live multivariant playlist
 *   <epoch>/<rendition>/index.m3u8      live media playlist (_HLS_msn, _HLS_part, _HLS_skip)
 *   <epoch>/<rendition>/<init|part|seg> media, immutable
 *                                       (rendition `subtitles`: WebVTT, while captions are on)
 *   vod/master.m3u8, vod/<rendition>/…  the recording
 *   poster.jpg
 */
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { awaitPart, awaitPlaylist } from './format/blocking-reload.ts';
import { isRenditionName } from './encoder/ladder.ts';
import { MEDIA_PLAYLIST, type LiveStream } from './encoder/live-stream.ts';
import { POSTER, VOD_MASTER, VOD_PLAYLIST } from './encoder/recorder.ts';
import { parseResourceUri } from './format/uris.ts';
import { HOP_HEADER, OriginProxy, type ForwardLimits } from './hls-proxy.ts';

export interface HlsSource {
  /** The show's current stream (live, or ended a moment ago), if any. */
  stream(showId: string): LiveStream | undefined;
  /** The show's recording directory. */
  recordingDir(showId: string): string;
  /** In a cluster: the HTTP address of the node the show's media comes from, when that is another node. */
  remoteOrigin?(showId: string): Promise<string | null>;
  /** Send players to that node rather than pass their requests on (a deployment whose nodes players reach). */
  redirectToOrigin?: boolean;
}

const SHOW_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The multivariant playlist waits this long for a starting stream's first segment. */
const MASTER_HOLD_MS = 8000;

function contentType(file: string): string {
  if (file.endsWith('.m3u8')) return PLAYLIST_TYPE;
  if (file.endsWith('.jpg')) return 'image/jpeg';
  if (file.endsWith('.vtt')) return 'text/vtt; charset=utf-8';
  return 'video/mp4';
}

function send(res: Response, body: Uint8Array | string, type: string, cacheControl: string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  res.status(200).set({ 'Content-Type': type, 'Content-Length': String(bytes.length), 'Cache-Control': cacheControl }).end(bytes);
}

function fail(res: Response, status: number, reason: string): void {
  res.status(status).set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(reason);
}

/** Aborts when the client disconnects before the answer, releasing a held request. */
function clientGone(res: Response): AbortSignal {
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  return ac.signal;
}

export function hlsRouter(source: HlsSource, opts: { forwardLimits?: ForwardLimits } = {}): express.Router {
  const router = express.Router();
  const proxy = new OriginProxy(opts.forwardLimits);
  // Players on other origins (embeds, a CDN in front) fetch with plain GETs: no credentials, no custom headers.
  router.use('/hls', (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res.set({ 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Max-Age': '86400' }).status(204).end();
  });
  router.param('showId', (_req, res, next, id: string) => (SHOW_ID.test(id) ? next() : fail(res, 404, 'no such show')));

  /** A live stream encoded on another node is answered from there; true when the request went there. */
  const fromOrigin = async (req: Request<{ showId: string }>, res: Response): Promise<boolean> => {
    if (!source.remoteOrigin || req.headers[HOP_HEADER] !== undefined) return false;
    const origin = await source.remoteOrigin(req.params.showId);
    if (!origin) return false;
    if (!source.redirectToOrigin) proxy.forward(origin, req, res);
    // Temporary and never cached: the origin moves when the host does.
    else res.set('Cache-Control', 'no-store').redirect(307, new URL(req.originalUrl, origin).href);
    return true;
  };

  router.get('/hls/:showId/master.m3u8', async (req: Request<{ showId: string }>, res) => {
    const stream = source.stream(req.params.showId);
    if (!stream) return (await fromOrigin(req, res)) || fail(res, 404, 'no live stream');
    const signal = clientGone(res);
    const deadline = Date.now() + MASTER_HOLD_MS;
    for (const r of stream.renditions) {
      // Until a segment is complete hls.js sees the media playlist as empty and errors; wait for one.
      const outcome = await awaitPlaylist(r.playlist, { _HLS_msn: '0' }, { signal, holdMs: Math.max(0, deadline - Date.now()) });
      if (outcome.kind === 'aborted') return;
    }
    const text = stream.multivariant();
    if (!text) return fail(res, 503, 'the stream is starting');
    send(res, text, PLAYLIST_TYPE, 'no-cache');
  });

  router.get('/hls/:showId/poster.jpg', (req: Request<{ showId: string }>, res) => {
    sendRecording(res, path.join(source.recordingDir(req.params.showId), POSTER), 'public, max-age=60');
  });

  router.get('/hls/:showId/vod/master.m3u8', (req: Request<{ showId: string }>, res) => {
    sendRecording(res, path.join(source.recordingDir(req.params.showId), VOD_MASTER), 'public, max-age=60');
  });

  router.get('/hls/:showId/vod/:rendition/:file', (req: Request<{ showId: string; rendition: string; file: string }>, res) => {
    const { showId, rendition, file } = req.params;
    if (!isRenditionName(rendition) || (file !== VOD_PLAYLIST && !parseResourceUri(file))) return fail(res, 404, 'not found');
    // The playlist is rewritten if the show goes live again; media files never change.
    const cache = file === VOD_PLAYLIST ? 'public, max-age=60' : IMMUTABLE;
    sendRecording(res, path.join(source.recordingDir(showId), rendition, file), cache);
  });

  router.get('/hls/:showId/:epoch/:rendition/:file', async (req: Request<{ showId: string; epoch: string; rendition: string; file: string }>, res) => {
    const { showId, epoch, rendition, file } = req.params;
    const stream = source.stream(showId);
    const playlist = stream?.epoch === epoch ? stream.playlist(rendition) : undefined;
    if (!stream) return (await fromOrigin(req, res)) || fail(res, 404, 'no such stream');
    if (!playlist) return fail(res, 404, 'no such stream');
    const signal = clientGone(res);

    if (file === MEDIA_PLAYLIST) {
      const outcome = await awaitPlaylist(playlist, req.query, { signal });
      if (outcome.kind === 'aborted') return;
      if (outcome.kind === 'error') return fail(res, outcome.status, outcome.reason);
      const text = playlist.render({
        skip: outcome.skip,
        renditionReports: stream.renditionReports(rendition),
        dateRanges: stream.dateRanges.list()
      });
      // A blocking request's URL names the part it waited for, so the answer can be cached briefly
      // (a CDN then collapses an audience onto one request); the plain URL changes every part.
      const blocking = req.query['_HLS_msn'] !== undefined;
      return send(res, text, PLAYLIST_TYPE, blocking ? `public, max-age=${playlist.targetDuration}` : 'no-cache');
    }

    const outcome = await awaitPart(playlist, file, { signal });
    if (outcome.kind === 'aborted') return;
    if (outcome.kind === 'error') return fail(res, outcome.status, outcome.reason);
    send(res, outcome.bytes, contentType(file), IMMUTABLE);
  });

  return router;
}

function sendRecording(res: Response, file: string, cacheControl: string): void {
  res.set({ 'Content-Type': contentType(file), 'Cache-Control': cacheControl });
  res.sendFile(file, { cacheControl: false, dotfiles: 'deny' }, (err) => {
    if (err && !res.headersSent) fail(res, 404, 'not found');
  });
}
