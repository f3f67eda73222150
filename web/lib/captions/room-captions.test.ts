import { describe, expect, it } from 'vitest';
import { fakeConnection, settle } from '$lib/testing/fake-socket';
import { LiveRoom } from '$lib/live-room/live-room.svelte';
import type { CaptionSettingsDto } from '$shared/captions';
import { RoomCaptions } from './room-captions.svelte';

const settings = (enabled: boolean, provider: CaptionSettingsDto['provider'] = 'pocketsphinx'): CaptionSettingsDto => ({ enabled, language: 'en', provider, languages: ['en'] });

function setup(read: () => Promise<CaptionSettingsDto>) {
  const c = fakeConnection();
  const room = new LiveRoom({ showId: 's1', userId: null, client: c.client });
  const data: Record<string, string> = {};
  const captions = new RoomCaptions({ showId: 's1', room, storage: { getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) }, settings: read });
  room.attach({ joinsOnOpen: true, close: () => {} });
  /** The page's media part joins the show, as a Viewer does once the socket opens. */
  const join = async () => {
    await c.client.request('join', { showId: 's1', role: 'viewer' });
    await settle();
  };
  return { c, room, captions, join };
}

describe('RoomCaptions', () => {
  it('offers captions when the host turned them on and the server transcribes', async () => {
    const on = setup(async () => settings(true));
    const noEngine = setup(async () => settings(true, null));
    const off = setup(async () => settings(false));
    for (const s of [on, noEngine, off]) {
      s.c.socket.open();
      await s.join();
    }
    expect([on.captions.offered, noEngine.captions.offered, off.captions.offered]).toEqual([true, false, false]);
    // Shown only once the viewer turns them on.
    expect(on.captions.showing).toBe(false);
    on.captions.preference.toggle();
    expect(on.captions.showing).toBe(true);
  });

  it('reads the settings once as the page joins, again on each rejoin, and offers captions as soon as one arrives', async () => {
    let enabled = false;
    let reads = 0;
    const { c, captions, join } = setup(async () => (reads++, settings(enabled)));
    c.socket.open();
    await settle();
    expect(reads).toBe(0);
    await join();
    expect(reads).toBe(1);
    expect(captions.offered).toBe(false);
    enabled = true;
    await join();
    expect(reads).toBe(2);
    expect(captions.offered).toBe(true);

    const late = setup(async () => settings(false));
    late.c.socket.open();
    await settle();
    late.c.socket.notify('captions', { cue: { id: 'u1', showId: 's1', text: 'hello', final: false, language: 'en', startAt: 0, endAt: 0 } });
    expect(late.captions.offered).toBe(true);
  });

  it('stays quiet when the settings cannot be read', async () => {
    const { c, captions, join } = setup(() => Promise.reject(new Error('offline')));
    c.socket.open();
    await join();
    expect(captions.offered).toBe(false);
  });
});
