import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { describeError } from '../http/error-reply.ts';
import { parseInput } from '../http/validate.ts';
import type { Logger } from '../log.ts';
import * as metrics from '../metrics/metrics.ts';
import { parseIceFragment, MAX_SDP_BYTES } from './sdp-offer.ts';
import { writeIceFragment } from './sdp-answer.ts';
import type { SessionKind, SessionRegistry } from './sessions.ts';

export const SDP_TYPE = 'application/sdp';
export const SDPFRAG_TYPE = 'application/trickle-ice-sdpfrag';

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not an id.');
export const showParams = z.object({ showId: idSchema });
const sessionParams = z.object({ showId: idSchema, sessionId: idSchema });

/** The media type of a request's body, without parameters, or '' without one. */
function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A body of exactly `type` as text, or 415 (RFC 9725 §4.2: an offer must be application/sdp). */
export function textBody(type: string): RequestHandler[] {
  return [
    (req, res, next) => {
      if (mediaType(req) === type) return next();
      res.setHeader('Accept', type);
      res.status(415).json({ error: { code: 'bad_request', message: `The body must be ${type}.` } });
    },
    express.text({ type: () => true, limit: MAX_SDP_BYTES })
  ];
}

/**
 * WHIP and WHEP clients run on other origins (a shop's page, a web encoder) and authenticate with a
 * bearer token or not at all, never a cookie: any origin may call, and reads the headers it needs.
 */
export const cors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Location, ETag, Link, Accept-Patch, Accept-Post, Retry-After');
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', 'POST, PATCH, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, If-Match');
  res.setHeader('Access-Control-Max-Age', '600');
  // A public page may embed a server on a private network (a shop's LAN) when the server says so (Private Network Access).
  if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
  res.status(204).end();
};

/** `Link` headers that hand the client the server's ICE servers (RFC 9725 §4.6). */
export function iceServerLinks(servers: readonly { urls: string | string[]; username?: string; credential?: string }[]): string[] {
  return servers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]).map((url) => {
    const auth = s.username && s.credential ? `; username="${s.username}"; credential="${s.credential}"; credential-type="password"` : '';
    return `<${url}>; rel="ice-server"${auth}`;
  }));
}

/** Answers a created session: 201, the answer, where the resource lives and its entity tag. */
export function sendAnswer(res: Response, opts: { location: string; etag: string; answer: string; links: string[] }): void {
  res.status(201);
  res.setHeader('Content-Type', SDP_TYPE);
  res.setHeader('Location', opts.location);
  res.setHeader('ETag', opts.etag);
  res.setHeader('Accept-Patch', SDPFRAG_TYPE);
  if (opts.links.length > 0) res.setHeader('Link', opts.links.join(', '));
  res.send(opts.answer);
}

/**
 * The session resource: PATCH carries trickle ICE (answered 204; the server is ICE-lite and learns the
 * client's address from its checks, so candidates need no action) or, with new ICE credentials, an
 * ICE restart (answered 200 with the server's new credentials and a new entity tag); DELETE ends it.
 */
export function sessionResource(router: express.Router, kind: SessionKind, sessions: SessionRegistry): void {
  const path = '/:showId/:sessionId';
  router.patch(path, ...textBody(SDPFRAG_TYPE), async (req, res) => {
    const { showId, sessionId } = parseInput(sessionParams, req.params);
    const session = sessions.get(kind, showId, sessionId);
    const ifMatch = req.headers['if-match'];
    // A client that names an entity tag must name the current one (RFC 9725 §4.3.1); "*" matches any.
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== session.etag) {
      res.status(412).json({ error: { code: 'conflict', message: 'The session has changed (ICE restarted); use its current entity tag.' } });
      return;
    }
    const frag = parseIceFragment(typeof req.body === 'string' ? req.body : '');
    if (!frag.usernameFragment || frag.usernameFragment === session.remoteUfrag) {
      res.status(204).end();
      return;
    }
    if (!frag.password) {
      res.status(400).json({ error: { code: 'bad_request', message: 'An ICE restart needs the new ice-pwd.' } });
      return;
    }
    const ice = await session.restartIce(frag.usernameFragment);
    res.status(200);
    res.setHeader('Content-Type', SDPFRAG_TYPE);
    res.setHeader('ETag', session.etag);
    res.send(writeIceFragment({ iceParameters: ice, iceCandidates: session.transport.iceCandidates }, session.mids));
  });
  router.delete(path, (req, res) => {
    const { showId, sessionId } = parseInput(sessionParams, req.params);
    sessions.get(kind, showId, sessionId).close();
    res.status(200).end();
  });
  // GET, PUT and the rest are not part of either protocol (RFC 9725 §4.1).
  router.all('/:showId', (_req, res) => void res.setHeader('Allow', 'POST, OPTIONS').status(405).json({ error: { code: 'bad_request', message: 'Use POST with an SDP offer.' } }));
  router.all(path, (_req, res) => void res.setHeader('Allow', 'PATCH, DELETE, OPTIONS').status(405).json({ error: { code: 'bad_request', message: 'Use PATCH or DELETE on a session.' } }));
}

/**
 * Errors as the JSON API answers them (`{error: {code, message}}`, no stack), with the headers these
 * protocols add: a 401 names the Bearer scheme, a 503 (no seat, no media server) says when to retry.
 */
export function resourceErrors(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, body } = describeError(err);
    metrics.errors.inc({ transport: 'http', code: body.code });
    if (status >= 500 && status !== 503) log.error({ err, path: req.path }, 'request failed');
    else log.info({ path: req.path, code: body.code }, body.message);
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="hawker"');
    if (status === 503 && !res.hasHeader('Retry-After')) res.setHeader('Retry-After', '5');
    res.status(status).json({ error: body });
  };
}
