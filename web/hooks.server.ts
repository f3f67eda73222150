import type { Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { appContext, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/context';
import { isLocale, LOCALE_COOKIE, negotiateLocale } from '$lib/i18n/locales';

/** Same session check as the API and the ws upgrade. */
const auth: Handle = async ({ event, resolve }) => {
  const { sessions, secureCookies } = appContext();
  const token = event.cookies.get(SESSION_COOKIE);
  const result = await sessions.validate(token);
  event.locals.user = result?.user ?? null;
  if (token && !result) event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(secureCookies));
  if (token && result?.refreshed) event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(secureCookies));
  return resolve(event);
};

/** The language from the reader's choice (cookie), else the browser's Accept-Language. */
const locale: Handle = ({ event, resolve }) => {
  const chosen = event.cookies.get(LOCALE_COOKIE);
  event.locals.locale = isLocale(chosen) ? chosen : negotiateLocale(event.request.headers.get('accept-language'));
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale) });
};

export const handle = sequence(auth, locale);
