import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamKeyPanel } from './stream-key.svelte';

const calls: string[] = [];
let described = { createdAt: null as number | null, streaming: false };
vi.mock('$lib/api', () => ({
  api: vi.fn(async (route: string, opts: { params: { id: string } }) => {
    calls.push(`${route} ${opts.params.id}`);
    if (route === 'GET /shows/:id/stream-key') return { streamKey: described };
    return { key: 'k'.repeat(43), createdAt: 1234 };
  })
}));

describe('the studio’s stream key panel', () => {
  beforeEach(() => {
    calls.length = 0;
    described = { createdAt: null, streaming: false };
  });

  it('names the WHIP server URL of the show on the site’s own origin', () => {
    expect(new StreamKeyPanel('show/1', 'https://shop.example').serverUrl).toBe('https://shop.example/whip/show%2F1');
  });

  it('knows whether the show has a key and an encoder streams, without ever holding a key it did not make', async () => {
    const panel = new StreamKeyPanel('s1', 'http://127.0.0.1:3000');
    expect(panel.loaded).toBe(false);
    described = { createdAt: 99, streaming: true };
    await panel.load();
    expect(calls).toEqual(['GET /shows/:id/stream-key s1']);
    expect(panel).toMatchObject({ loaded: true, hasKey: true, createdAt: 99, streaming: true, key: null });
  });

  it('shows a key it made until dismissed; a new key has no stream yet', async () => {
    const panel = new StreamKeyPanel('s1', 'http://127.0.0.1:3000');
    described = { createdAt: 99, streaming: true };
    await panel.load();
    await panel.regenerate();
    expect(calls.at(-1)).toBe('POST /shows/:id/stream-key s1');
    expect(panel).toMatchObject({ key: 'k'.repeat(43), createdAt: 1234, hasKey: true, streaming: false });
    panel.dismissKey();
    expect(panel.key).toBeNull();
    expect(panel.hasKey).toBe(true);
  });
});
