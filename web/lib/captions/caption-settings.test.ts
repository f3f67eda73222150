import { describe, expect, it } from 'vitest';
import type { CaptionSettingsDto, UpdateCaptionSettingsInput } from '$shared/captions';
import { CaptionSettings } from './caption-settings.svelte';

function fakeServer(dto: CaptionSettingsDto, refuse = false) {
  const puts: UpdateCaptionSettingsInput[] = [];
  let held = dto;
  return {
    puts,
    api: {
      get: async () => held,
      put: async (input: UpdateCaptionSettingsInput) => {
        puts.push(input);
        if (refuse) throw new Error('forbidden');
        held = { ...held, ...input };
        return held;
      }
    }
  };
}

const embedded: CaptionSettingsDto = { enabled: false, language: 'en', provider: 'pocketsphinx', languages: ['en'] };

describe('CaptionSettings', () => {
  it('saves each change and shows what the server holds', async () => {
    const server = fakeServer(embedded);
    const settings = new CaptionSettings(server.api);
    await settings.load();
    await settings.setEnabled(true);
    expect(server.puts).toEqual([{ enabled: true }]);
    expect(settings.settings?.enabled).toBe(true);
  });

  it('says Korean and Chinese need the endpoint when only the embedded engine runs', async () => {
    const settings = new CaptionSettings(fakeServer(embedded).api);
    await settings.load();
    expect(settings.available).toBe(true);
    expect(settings.needsEndpoint).toEqual(['ko', 'zh']);
    const endpoint = new CaptionSettings(fakeServer({ ...embedded, provider: 'openai', languages: ['en', 'ko', 'zh'] }).api);
    await endpoint.load();
    expect(endpoint.needsEndpoint).toEqual([]);
  });

  it('knows when the server transcribes nothing', async () => {
    const settings = new CaptionSettings(fakeServer({ ...embedded, provider: null, languages: [] }).api);
    await settings.load();
    expect(settings.available).toBe(false);
  });

  it('keeps the server’s settings and the error when a change is refused', async () => {
    const settings = new CaptionSettings(fakeServer(embedded, true).api);
    await settings.load();
    await settings.setLanguage('ko');
    expect(settings.settings?.language).toBe('en');
    expect(settings.error).toBeInstanceOf(Error);
    expect(settings.saving).toBe(false);
  });
});
