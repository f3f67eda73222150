import { parse, type MediaDescription, type SessionDescription } from 'sdp-transform';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';

/** What a WHIP or WHEP offer asks of the server: the remote ICE and DTLS ends, and its media sections in order. */
export interface ParsedOffer {
  ice: { usernameFragment: string; password: string };
  /** The remote DTLS end, as mediasoup's `transport.connect()` takes it (its role is the one the answer leaves it). */
  dtls: types.DtlsParameters;
  /** `setup` the answer carries: the opposite of the role the remote takes. */
  answerSetup: 'active' | 'passive';
  media: MediaDescription[];
  /** The session as parsed, for what the answer echoes (its origin). */
  session: SessionDescription;
}

/** Offers are small; a bigger body is not an offer a real client makes. */
export const MAX_SDP_BYTES = 64 * 1024;

const FINGERPRINT_ALGORITHMS = new Set(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);

function badOffer(message: string): AppError {
  return new AppError('bad_request', `The SDP offer ${message}`, { reason: 'invalid_input', field: 'sdp' });
}

/** Parses an SDP offer and checks what both protocols need: ICE credentials, a DTLS fingerprint, BUNDLEd RTP media. */
export function parseOffer(sdp: string): ParsedOffer {
  let session: SessionDescription;
  try {
    session = parse(sdp);
  } catch {
    throw badOffer('cannot be parsed.');
  }
  if (session.version !== 0 || !Array.isArray(session.media) || session.media.length === 0) throw badOffer('has no media sections.');
  if (session.media.length > 8) throw badOffer('has too many media sections.');
  const first = session.media[0]!;
  const usernameFragment = session.iceUfrag ?? first.iceUfrag;
  const password = session.icePwd ?? first.icePwd;
  if (!usernameFragment || !password) throw badOffer('has no ICE credentials.');
  const fingerprint = session.fingerprint ?? first.fingerprint;
  const algorithm = fingerprint?.type.toLowerCase();
  if (!fingerprint || !algorithm || !FINGERPRINT_ALGORITHMS.has(algorithm)) throw badOffer('has no usable DTLS fingerprint.');
  const setup = (first.setup ?? session.setup ?? 'actpass').toLowerCase();
  if (!['actpass', 'active', 'passive'].includes(setup)) throw badOffer('has an unknown DTLS setup.');
  for (const m of session.media) {
    if (typeof m.mid !== 'string' && typeof m.mid !== 'number') throw badOffer('has a media section without a mid.');
    if (m.type !== 'application' && !m.rtcpMux) throw badOffer('does not multiplex RTCP (rtcp-mux).');
  }
  const mids = new Set(session.media.map((m) => String(m.mid)));
  if (mids.size !== session.media.length) throw badOffer('repeats a mid.');
  return {
    ice: { usernameFragment, password },
    // The remote that offers actpass or active becomes the DTLS client; mediasoup then serves.
    dtls: { role: setup === 'passive' ? 'server' : 'client', fingerprints: [{ algorithm: algorithm as types.FingerprintAlgorithm, value: fingerprint.hash.toUpperCase() }] },
    answerSetup: setup === 'passive' ? 'active' : 'passive',
    media: session.media,
    session
  };
}

/** The ICE credentials and candidates of a trickle ICE fragment (RFC 8840, `application/trickle-ice-sdpfrag`). */
export interface IceFragment {
  usernameFragment: string | null;
  password: string | null;
  candidates: number;
}

export function parseIceFragment(frag: string): IceFragment {
  let parsed: SessionDescription;
  try {
    // A fragment has no v= line; the parser reads its attribute lines all the same.
    parsed = parse(frag);
  } catch {
    throw new AppError('bad_request', 'The ICE fragment cannot be parsed.', { reason: 'invalid_input', field: 'sdpfrag' });
  }
  const media = parsed.media ?? [];
  const usernameFragment = parsed.iceUfrag ?? media[0]?.iceUfrag ?? null;
  const password = parsed.icePwd ?? media[0]?.icePwd ?? null;
  const candidates = media.reduce((n, m) => n + (m.candidates?.length ?? 0), 0);
  return { usernameFragment, password, candidates };
}
