/**
 * The session cookie: its name, lifetime and attributes, apart from the session store
 * so SvelteKit's bundle can import it without the database.
 */
export const SESSION_COOKIE = 'hawker_session';
/** A session (and its cookie) lasts this long without use. */
export const SESSION_IDLE_MS = 10 * 24 * 60 * 60 * 1000;

/** Reads one cookie from a raw Cookie header (the ws upgrade has no framework to do it). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eqAt = part.indexOf('=');
    if (eqAt < 0) continue;
    if (part.slice(0, eqAt).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eqAt + 1).trim());
    } catch {
      // Not valid percent-encoding: no session of ours, so signed out.
      return null;
    }
  }
  return null;
}

/**
 * The session cookie's attributes: the one definition behind the API's Set-Cookie and the pages'
 * (SvelteKit's `cookies.set`/`delete` take it as is). `maxAge` is in seconds, as both expect.
 */
export function sessionCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: Math.floor(SESSION_IDLE_MS / 1000) } as const;
}

/** The Set-Cookie value for these options, spelled from them so the two cannot drift apart. */
function serializeSessionCookie(value: string, o: ReturnType<typeof sessionCookieOptions>): string {
  const sameSite = o.sameSite[0]!.toUpperCase() + o.sameSite.slice(1);
  return `${SESSION_COOKIE}=${value}; Path=${o.path}${o.httpOnly ? '; HttpOnly' : ''}; SameSite=${sameSite}; Max-Age=${o.maxAge}${o.secure ? '; Secure' : ''}`;
}

export function sessionCookie(token: string, secure: boolean): string {
  return serializeSessionCookie(token, sessionCookieOptions(secure));
}

export function clearedSessionCookie(secure: boolean): string {
  return serializeSessionCookie('', { ...sessionCookieOptions(secure), maxAge: 0 });
}
