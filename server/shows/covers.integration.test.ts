import http from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, postJson } from '../testing/http.ts';

/**
 * Sends the headers of an upload that claims `declaredBytes` and only its first KiB; the rest
 * never comes, so only a server that answers before reading the body replies at all.
 */
function startUpload(url: string, declaredBytes: number, cookie?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg', 'content-length': String(declaredBytes), ...(cookie ? { cookie } : {}) }
    });
    const timer = setTimeout(() => (req.destroy(), reject(new Error('no reply while the body was incomplete'))), 10_000);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (clearTimeout(timer), req.destroy(), resolve({ status: res.statusCode!, body })));
    });
    req.on('error', (err) => (clearTimeout(timer), reject(err)));
    req.write(Buffer.alloc(1024));
  });
}

describe('show cover uploads', () => {
  let app: RunningApp;
  let showUrl: string;
  let hostCookie: string;

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    hostCookie = await adminSession(app.url);
    const show = (await postJson(`${app.url}/api/shows`, { title: 'Cover show', scheduledAt: Date.now() + 60_000 }, hostCookie)).json.show;
    showUrl = `${app.url}/api/shows/${show.id}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('refuses an anonymous upload with 401 before its body is read', async () => {
    const reply = await startUpload(`${showUrl}/cover`, 1_500_000);
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).error.code).toBe('unauthenticated');
  });

  it("refuses a buyer's upload to someone else's show with 403 before its body is read", async () => {
    const buyer = (await postJson(`${app.url}/api/auth/signup`, { email: 'cover-buyer@x.test', password: 'buyer-password-1', displayName: 'B' })).cookie!;
    const reply = await startUpload(`${showUrl}/cover`, 1_500_000, buyer);
    expect(reply.status).toBe(403);
  });

  it('stores a JPEG with EXIF GPS re-encoded, without the location', async () => {
    const jpeg = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#c0392b' } })
      .withExif({ IFD0: { Copyright: 'hawker-private-marker' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 33/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '126/1 58/1 0/1' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    expect(jpeg.includes('hawker-private-marker')).toBe(true);

    const res = await fetch(`${showUrl}/cover`, { method: 'PUT', headers: { 'content-type': 'image/jpeg', cookie: hostCookie }, body: new Uint8Array(jpeg) });
    expect(res.status).toBe(200);
    const { show } = await res.json();
    const stored = Buffer.from(await (await fetch(`${app.url}${show.coverUrl}`)).arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(stored.includes('hawker-private-marker')).toBe(false);
    expect(meta).toMatchObject({ width: 640, height: 360 });
  });

  it('refuses bytes that are not an image with 400', async () => {
    const res = await fetch(`${showUrl}/cover`, { method: 'PUT', headers: { 'content-type': 'image/png', cookie: hostCookie }, body: 'not an image' });
    expect(res.status).toBe(400);
  });
});
