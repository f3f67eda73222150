import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { apiRoute } from '../http/api-route.ts';
import { openApiDocument, type OpenApiDocument } from './openapi-document.ts';

const pageDir = path.join(import.meta.dirname, 'page');
const swaggerUiDir = path.dirname(fileURLToPath(import.meta.resolve('swagger-ui-dist/package.json')));
/** What the reference page loads: the maintained Swagger UI build and the page's own initializer, nothing else. */
const assets: Record<string, string> = {
  'swagger-ui.css': path.join(swaggerUiDir, 'swagger-ui.css'),
  'swagger-ui-bundle.js': path.join(swaggerUiDir, 'swagger-ui-bundle.js'),
  'favicon-32x32.png': path.join(swaggerUiDir, 'favicon-32x32.png'),
  'init.js': path.join(pageDir, 'init.js')
};
/**
 * The reference page's policy: this origin's scripts, styles and calls, and the data: images Swagger UI's
 * stylesheet draws its icons with. Everything else under /api keeps the data-only policy.
 */
const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The API's OpenAPI 3.1 description of `api` (read from its routes when first asked) and its interactive reference. */
export function openApiRoutes(api: express.Router): express.Router {
  const r = express.Router();
  const version = (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;
  const page = fs.readFileSync(path.join(pageDir, 'index.html'), 'utf8');
  let document: OpenApiDocument | undefined;

  apiRoute(r, 'GET /openapi.json', () => (document ??= openApiDocument(api, version)) as unknown as Record<string, unknown>, {
    doc: { tag: 'API', who: 'anyone', summary: 'This description', description: 'The OpenAPI 3.1 description of this API, generated from the schemas the server parses and answers with.' }
  });
  apiRoute(r, 'GET /docs', (_req, res) => {
    res.set('Content-Security-Policy', PAGE_POLICY);
    return page;
  }, { type: 'text/html', doc: { tag: 'API', who: 'anyone', summary: 'Interactive reference', description: 'An HTML page that renders this description and can try each operation on this server.' } });
  r.use('/docs', (req, res, next) => {
    const file = Object.hasOwn(assets, req.path.slice(1)) ? assets[req.path.slice(1)] : undefined;
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.sendFile(file, { maxAge: '1h' });
  });
  return r;
}
