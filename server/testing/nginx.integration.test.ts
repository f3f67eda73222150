import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startScratchNginx, type ScratchNginx } from './nginx.ts';

interface Backend {
  name: string;
  server: http.Server;
  address: string;
}

/** A node stand-in: answers HTTP with its name and the headers nginx passed, and echoes ws messages. */
async function backend(name: string): Promise<Backend> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name, host: req.headers.host, forwardedFor: req.headers['x-forwarded-for'], proto: req.headers['x-forwarded-proto'] }));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`${name}:${String(data)}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { name, server, address: `127.0.0.1:${(server.address() as net.AddressInfo).port}` };
}

function close(b: Backend): Promise<void> {
  b.server.closeAllConnections();
  return new Promise((resolve) => b.server.close(() => resolve()));
}

async function get(url: string): Promise<{ status: number; body: { name: string; host: string; forwardedFor: string; proto: string } }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe('nginx in front of two nodes', () => {
  let a: Backend;
  let b: Backend;
  let nginx: ScratchNginx;

  beforeAll(async () => {
    a = await backend('a');
    b = await backend('b');
    nginx = await startScratchNginx({ upstreams: [a.address, b.address] });
  });
  afterAll(async () => {
    await nginx?.stop();
    for (const s of [a, b]) if (s?.server.listening) await close(s);
  });

  it('spreads requests over both nodes and passes the client and its Host on', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, () => get(`${nginx.url}/healthz`)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(new Set(replies.map((r) => r.body.name))).toEqual(new Set(['a', 'b']));
    expect(replies[0]!.body).toMatchObject({ host: `127.0.0.1:${nginx.port}`, forwardedFor: '127.0.0.1', proto: 'http' });
  });

  it('carries a ws upgrade through to a node', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${nginx.port}/ws`);
    const reply = new Promise<string>((resolve, reject) => {
      ws.once('message', (data) => resolve(String(data)));
      ws.once('error', reject);
    });
    ws.once('open', () => ws.send('hello'));
    expect(await reply).toMatch(/^[ab]:hello$/);
    ws.close();
  });

  it('skips a node that is gone', async () => {
    await close(b);
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await get(`${nginx.url}/`));
    expect(replies.map((r) => `${r.status} ${r.body.name}`)).toEqual(Array(6).fill('200 a'));
  });

  it('stops, taking its folder with it', async () => {
    const pid = nginx.pid;
    await nginx.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(fs.existsSync(nginx.dir)).toBe(false);
    await expect(fetch(nginx.url)).rejects.toThrow();
  });
});
