import type { RequestHandler } from 'express';

/**
 * Headers every response carries, pages and assets included: no framing (clickjacking on
 * checkout and bid buttons), no MIME sniffing, no full URLs leaking to other sites, and
 * HSTS when the site is served over https (which is what Secure cookies say).
 *
 * COOP plus COEP make every page cross-origin isolated, so SharedArrayBuffer exists and the
 * studio's moderation model runs on all cores (threaded wasm). `require-corp` blocks only
 * cross-origin loads without a CORP header, and the pages' CSP already confines every load
 * to this origin (and data:/blob:), so nothing a page uses is lost. Every response carries
 * it, not only the studio's, because client-side navigation keeps the document of the page
 * first opened, and the moderation worker's own script must carry it too.
 */
export function securityHeaders(opts: { hsts: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    if (opts.hsts) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

/**
 * For responses that are data, not pages (JSON, images, playlists): opened as a document they
 * may load and run nothing. Pages get their own policy from SvelteKit (`kit.csp`); the page's
 * scripts and worker are not served through this.
 */
export const dataOnlyPolicy: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  next();
};
