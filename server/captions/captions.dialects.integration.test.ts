import { beforeEach, expect, it } from 'vitest';
import { LimitStore } from '../limits/shared-limits.ts';
import { Shows } from '../shows/shows.ts';
import { onEachDialect } from '../testing/dialects.ts';
import type { PublicUser } from '#shared/auth.ts';
import { MAX_TRANSCRIPT_CUES, type CaptionCue } from '#shared/captions.ts';
import { Captions, MAX_CUE_TEXT, type SpeechOffer } from './captions.ts';

let serial = 0;
const anonymous = { userId: null, address: '203.0.113.1' };
const ENGLISH_ONLY: SpeechOffer = { name: 'pocketsphinx', languages: () => ['en'] };

onEachDialect('captions', (repo) => {
  let shows: Shows;
  let captions: Captions;
  let host: PublicUser;
  let buyer: PublicUser;
  let showId: string;
  let startedAt: number;
  const heard: { showId: string; cue: CaptionCue }[] = [];

  const person = async (role: PublicUser['role']): Promise<PublicUser> => {
    const id = `${role}-${++serial}`;
    const user = { id, email: `${id}@captions.test`, displayName: id, role };
    await repo().changes(repo().db.insert(repo().t.users).values({ ...user, passwordHash: 'x' }));
    return user;
  };
  const cue = (n: number, text: string, final = true): CaptionCue => ({
    id: `u${serial}-${n}`,
    showId,
    text,
    final,
    language: 'en',
    startAt: startedAt + n * 1000,
    endAt: startedAt + n * 1000 + 800
  });
  const storedRows = async () => (await repo().all(repo().db.select().from(repo().t.captionSegments))).filter((r) => r.showId === showId);

  beforeEach(async () => {
    [host, buyer] = [await person('host'), await person('buyer')];
    shows = new Shows(repo());
    captions = new Captions({ repo: repo(), shows, offer: ENGLISH_ONLY, limits: new LimitStore() });
    heard.length = 0;
    captions.on('cue', (id, c) => heard.push({ showId: id, cue: c }));
    showId = (await shows.create(host, { title: 'Bags', description: '', scheduledAt: Date.now() })).id;
    startedAt = (await shows.goLive(host, showId)).startedAt!;
  });

  it('has captions off in English until the host turns them on, and says what the engine offers', async () => {
    expect(await captions.describe(showId)).toEqual({ enabled: false, language: 'en', provider: 'pocketsphinx', languages: ['en'] });
    const seen: unknown[] = [];
    captions.on('settings', (id, s) => seen.push([id, s]));
    expect(await captions.update(host, showId, { enabled: true })).toMatchObject({ enabled: true, language: 'en' });
    expect(await captions.settings(showId)).toEqual({ enabled: true, language: 'en' });
    expect(seen).toEqual([[showId, { enabled: true, language: 'en' }]]);
    // A second change updates the same row.
    await captions.update(host, showId, { enabled: false });
    expect(await captions.settings(showId)).toEqual({ enabled: false, language: 'en' });
  });

  it('refuses buyers, other hosts, languages the engine lacks (naming the endpoint provider) and ended shows', async () => {
    await expect(captions.update(buyer, showId, { enabled: true })).rejects.toMatchObject({ code: 'forbidden' });
    const other = await person('host');
    await expect(captions.update(other, showId, { enabled: true })).rejects.toMatchObject({ code: 'forbidden' });
    const korean = captions.update(host, showId, { language: 'ko', enabled: true });
    await expect(korean).rejects.toMatchObject({ code: 'bad_request', params: { reason: 'caption_language', field: 'language' } });
    await expect(korean).rejects.toThrow(/Korean, Chinese .* endpoint provider/);
    expect(await captions.settings(showId)).toEqual({ enabled: false, language: 'en' });
    // Captions on, then a language the engine lacks: refused, and the row is as it was.
    await captions.update(host, showId, { enabled: true });
    await expect(captions.update(host, showId, { language: 'es' })).rejects.toMatchObject({ params: { reason: 'caption_language' } });
    expect(await captions.settings(showId)).toEqual({ enabled: true, language: 'en' });
    await captions.update(host, showId, { enabled: false });
    await shows.end(host, showId);
    await expect(captions.update(host, showId, { enabled: true })).rejects.toMatchObject({ code: 'invalid_state' });
    const offline = new Captions({ repo: repo(), shows, offer: null, limits: new LimitStore() });
    expect(await offline.describe(showId)).toEqual({ enabled: false, language: 'en', provider: null, languages: [] });
  });

  it('takes any spoken language, with or without an engine, and turns captions on only in one it transcribes', async () => {
    expect(await captions.update(host, showId, { language: 'ko' })).toEqual({ enabled: false, language: 'ko', provider: 'pocketsphinx', languages: ['en'] });
    await expect(captions.update(host, showId, { enabled: true })).rejects.toMatchObject({ params: { reason: 'caption_language' } });
    expect(await captions.settings(showId)).toEqual({ enabled: false, language: 'ko' });
    const offline = new Captions({ repo: repo(), shows, offer: null, limits: new LimitStore() });
    expect(await offline.update(host, showId, { language: 'es' })).toEqual({ enabled: false, language: 'es', provider: null, languages: [] });
    await expect(offline.update(host, showId, { enabled: true })).rejects.toMatchObject({ code: 'bad_request', params: { reason: 'caption_language' } });
    expect(await offline.settings(showId)).toEqual({ enabled: false, language: 'es' });
  });

  it('keeps both of two changes made at once', async () => {
    const bilingual = new Captions({ repo: repo(), shows, offer: { name: 'openai', languages: () => ['en', 'fr'] }, limits: new LimitStore() });
    await Promise.all([bilingual.update(host, showId, { enabled: true }), bilingual.update(host, showId, { language: 'fr' })]);
    expect(await bilingual.settings(showId)).toEqual({ enabled: true, language: 'fr' });
  });

  it('passes interim cues on without storing them, stores a final once and then passes it on, once', async () => {
    captions.interim(cue(1, 'this leather', false));
    captions.interim(cue(1, '   ', false));
    expect(await storedRows()).toEqual([]);
    await captions.final(cue(1, '  this leather handbag  '));
    await captions.final(cue(1, 'this leather handbag again'));
    await captions.final(cue(2, ' '));
    const rows = await storedRows();
    expect(rows.map((r) => r.text)).toEqual(['this leather handbag']);
    // The empty final (noise) is passed on, unstored, so viewers clear the utterance's interim text.
    expect(heard.map((h) => [h.cue.final, h.cue.text])).toEqual([
      [false, 'this leather'],
      [true, 'this leather handbag'],
      [true, '']
    ]);
    await captions.final(cue(3, 'x'.repeat(MAX_CUE_TEXT + 50)));
    expect((await storedRows()).find((r) => r.id === cue(3, '').id)!.text).toHaveLength(MAX_CUE_TEXT);
  });

  it('searches the transcript in any case, takes LIKE wildcards literally and gives replay offsets', async () => {
    await captions.final(cue(2, 'today it costs only forty nine dollars'));
    await captions.final(cue(1, 'This leather HANDBAG is handmade in Italy'));
    await captions.final(cue(3, 'fifty percent off the handbag, 100% leather'));
    const all = await captions.transcript(showId, undefined, anonymous);
    expect(all.cues.map((c) => c.offsetMs)).toEqual([1000, 2000, 3000]);
    expect(all.truncated).toBe(false);
    expect((await captions.transcript(showId, 'handbag', anonymous)).cues.map((c) => c.text)).toEqual([
      'This leather HANDBAG is handmade in Italy',
      'fifty percent off the handbag, 100% leather'
    ]);
    expect((await captions.transcript(showId, '0%', anonymous)).cues).toHaveLength(1);
    expect((await captions.transcript(showId, '_', anonymous)).cues).toHaveLength(0);
    expect((await captions.transcript(showId, 'wallet', anonymous)).cues).toHaveLength(0);
    // Ended shows keep theirs; another show's cues are not mixed in.
    await shows.end(host, showId);
    expect((await captions.transcript(showId, 'dollars', anonymous)).cues).toHaveLength(1);
    const otherShow = (await shows.create(host, { title: 'Other', description: '', scheduledAt: Date.now() })).id;
    expect((await captions.transcript(otherShow, undefined, anonymous)).cues).toEqual([]);
    await expect(captions.transcript('no-such-show', undefined, anonymous)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('limits transcript reads per account as well as per address', async () => {
    const reader = { userId: buyer.id, address: '203.0.113.9' };
    for (let n = 0; n < 120; n++) await captions.transcript(showId, undefined, { ...reader, address: `203.0.113.${n % 100}` });
    await expect(captions.transcript(showId, undefined, { ...reader, address: '198.51.100.7' })).rejects.toMatchObject({ code: 'rate_limited' });
    expect((await captions.transcript(showId, undefined, { userId: null, address: '198.51.100.7' })).cues).toEqual([]);
  });

  it(`answers at most ${MAX_TRANSCRIPT_CUES} cues, the earliest, and says more matched`, async () => {
    for (let n = 0; n < MAX_TRANSCRIPT_CUES + 5; n++) await captions.final(cue(n, `words number ${n}`));
    const t = await captions.transcript(showId, 'words', { userId: null, address: '203.0.113.2' });
    expect(t.cues).toHaveLength(MAX_TRANSCRIPT_CUES);
    expect(t.cues[0]!.text).toBe('words number 0');
    expect(t.truncated).toBe(true);
  });
});
