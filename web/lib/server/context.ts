// The one door from SvelteKit's server code to the server's: the live services and the session cookie.
export { appContext } from '../../../server/app-context.ts';
export { SESSION_COOKIE, sessionCookieOptions } from '../../../server/auth/session-cookie.ts';
