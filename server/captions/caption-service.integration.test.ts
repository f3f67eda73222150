import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { openRepo, type OpenRepo } from '../db/open-repo.ts';
import { LimitStore } from '../limits/shared-limits.ts';
import { Shows } from '../shows/shows.ts';
import { requireFfmpeg } from '../testing/ffmpeg.ts';
import { actorWithRole } from '../testing/role-sessions.ts';
import { synthesizeSpeech } from '../testing/speech.ts';
import { SpeechSource } from '../testing/speech-source.ts';
import { lastingDatabase, testConfig } from '../testing/test-config.ts';
import type { CaptionSettings } from '#shared/captions.ts';
import { CaptionService } from './caption-service.ts';
import { Captions } from './captions.ts';
import { speechToTextFromConfig } from './engines/from-config.ts';

requireFfmpeg();
const speech = synthesizeSpeech();

/**
 * A cluster in one process: the app commits the host's changes (the node they reached), while a
 * caption service with its own Captions over the same database stands for the node holding the show's
 * media, which hears no `settings` event of the app's.
 */
describe('caption settings committed on another node', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-caption-service-'));
  const config = testConfig({ ...lastingDatabase(dir), CAPTIONS_PROVIDER: 'pocketsphinx', CAPTIONS_MAX_STREAMS: '0' });
  let app: RunningApp;
  let media: OpenRepo;
  let service: CaptionService;
  let source: SpeechSource | undefined;
  const told: [string, CaptionSettings][] = [];

  beforeAll(async () => {
    app = await startApp(config, { webHandler: false });
    media = await openRepo({ databaseUrl: config.databaseUrl, databasePath: config.databasePath, synchronous: config.sqliteSynchronous });
    const engine = speechToTextFromConfig(config)!;
    const captions = new Captions({ repo: media.repo, shows: new Shows(media.repo), offer: engine, limits: new LimitStore() });
    // No slot: the test is about what the node learns, not about running recognition.
    service = new CaptionService({ registry: app.rooms, captions, engine, ffmpegPath: config.demo.ffmpegPath, maxStreams: 0, onSettings: (id, s) => told.push([id, s]) });
  }, 60_000);
  afterAll(async () => {
    await source?.stop();
    await service?.close();
    await app?.close();
    await media?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const until = async (what: string, ok: () => boolean, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('passes them on (on, then off) to the show’s stream on the media node', async () => {
    const host = await actorWithRole(app, 'host@caption-service.test', 'host');
    const showId = (await app.shows.create(host.user, { title: 'Bags', description: '', scheduledAt: Date.now() })).id;
    await app.shows.goLive(host.user, showId);
    source = await SpeechSource.attach(await app.rooms.get(showId), speech.wavPath, { paused: true });
    const last = () => told.filter(([id]) => id === showId).at(-1)?.[1];
    await until('the settings first read', () => last() !== undefined);
    expect(last()).toEqual({ enabled: false, language: 'en' });

    await app.captions.update(host.user, showId, { enabled: true });
    await until('captions on', () => last()?.enabled === true);
    await app.captions.update(host.user, showId, { enabled: false });
    await until('captions off', () => last()?.enabled === false);
    // Told once per change, not on every poll.
    expect(told.filter(([id]) => id === showId).map(([, s]) => s.enabled)).toEqual([false, true, false]);
  }, 60_000);
});

describe('caption slots', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-caption-slots-'));
  const config = testConfig({ ...lastingDatabase(dir), CAPTIONS_PROVIDER: 'pocketsphinx', CAPTIONS_MAX_STREAMS: '1' });
  let app: RunningApp;
  const sources: SpeechSource[] = [];

  beforeAll(async () => {
    app = await startApp(config, { webHandler: false });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.stop()));
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a freed slot goes to a show still waiting for one, past a waiting show that turned captions off', async () => {
    const host = await actorWithRole(app, 'host@caption-slots.test', 'host');
    const captioned = async (title: string) => {
      const { id } = await app.shows.create(host.user, { title, description: '', scheduledAt: Date.now() });
      await app.shows.goLive(host.user, id);
      await app.captions.update(host.user, id, { enabled: true });
      sources.push(await SpeechSource.attach(await app.rooms.get(id), speech.wavPath, { paused: true }));
      return id;
    };
    const service = app.captionService!;
    const first = await captioned('First');
    await expect.poll(() => service.captioner(first), { timeout: 15_000 }).toBeDefined();
    const gaveUp = await captioned('Gave up');
    const waiting = await captioned('Waiting');
    await expect.poll(() => service.refused, { timeout: 15_000 }).toBe(2);
    await app.captions.update(host.user, gaveUp, { enabled: false });
    await app.captions.update(host.user, first, { enabled: false });
    await expect.poll(() => service.captioner(waiting), { timeout: 15_000 }).toBeDefined();
    expect(service.captioner(gaveUp)).toBeUndefined();
    expect(service.running).toBe(1);
  }, 60_000);
});
