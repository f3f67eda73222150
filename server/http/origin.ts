/**
 * Same-origin check for state-changing requests and ws upgrades. Browsers always
 * send Origin on both; a request without one comes from a non-browser client,
 * which cannot carry a victim's cookies, so it is let through.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
