import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, liveShow } from '../testing/http.ts';

describe('chat questions: marked by the buyer or ending in a question mark, pinned by the host', () => {
  let app: RunningApp;
  let ws: string;
  let host: string;
  let showId: string;
  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false' }), { webHandler: false });
    ws = `${app.url.replace('http', 'ws')}/ws`;
    host = await adminSession(app.url);
    showId = (await liveShow(app.url, host, 'Questions show')).id;
  });
  afterAll(async () => {
    await app.close();
  });

  const client = async (cookie?: string) => {
    const c = await TestWsClient.connect(ws, cookie ? { cookie } : {});
    await c.request('join', { showId, role: 'viewer' });
    return c;
  };
  const pin = (cookie: string, messageId: number | null) =>
    fetch(`${app.url}/api/shows/${showId}/chat/pin`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ messageId }) });

  it('marks a question the server recognises, and keeps the mark in history', async () => {
    const ann = await client(await buyerSession(app.url, 'ann@questions.test', 'Ann'));
    const send = async (text: string, question?: boolean) => (await ann.request('chatSend', { showId, text, question })).message.question;
    expect(await send('Does it come in blue?')).toBe(true);
    expect(await send('그거 파란색도 있어요？')).toBe(true);
    expect(await send('What size is the model', true)).toBe(true);
    expect(await send('Love this one!')).toBe(false);
    expect(await send('Is this ? a question, no', false)).toBe(false);
    const history = (await ann.request('chatHistory', { showId })).messages;
    expect(history.map((m) => m.question)).toEqual([true, true, true, false, false]);
    ann.close();
  });

  it('lets the host pin a question for everyone, and refuses a buyer', async () => {
    const buyer = await buyerSession(app.url, 'ben@questions.test', 'Ben');
    const ben = await client(buyer);
    const asked = (await ben.request('chatSend', { showId, text: 'Ships to Korea?' })).message;
    expect((await pin(buyer, asked.id)).status).toBe(403);
    expect((await ben.request('chatHistory', { showId })).pinned).toBeNull();
    expect((await pin(host, asked.id)).status).toBe(200);
    await expect.poll(() => ben.notifications.some((n) => n.notification === 'chatSettings' && (n.data as { pinned: { id: number; question: boolean } | null }).pinned?.id === asked.id)).toBe(true);
    const late = await client();
    expect((await late.request('chatHistory', { showId })).pinned).toMatchObject({ id: asked.id, text: 'Ships to Korea?', question: true });
    expect((await pin(host, null)).status).toBe(200);
    expect((await late.request('chatHistory', { showId })).pinned).toBeNull();
    for (const c of [ben, late]) c.close();
  });
});
