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

  it('knows when the server transcribes nothing, and still lets the host name the show’s language', async () => {
    const server = fakeServer({ ...embedded, provider: null, languages: [] });
    const settings = new CaptionSettings(server.api);
    await settings.load();
    expect(settings.available).toBe(false);
    expect(settings.canCaption).toBe(false);
    expect(settings.needsEndpoint).toEqual([]);
    expect(settings.languages).toEqual(expect.arrayContaining(['en', 'ko', 'zh', 'ja', 'es', 'fr', 'de']));
    await settings.setLanguage('es');
    expect(server.puts).toEqual([{ language: 'es' }]);
    expect(settings.settings?.language).toBe('es');
  });

  it('offers any show language, and captions only in one the engine transcribes', async () => {
    const server = fakeServer({ ...embedded, enabled: true });
    const settings = new CaptionSettings(server.api);
    await settings.load();
    expect(settings.canCaption).toBe(true);
    // Captions on, and a language the engine lacks: they go off with the change, which the server would refuse otherwise.
    await settings.setLanguage('es');
    expect(server.puts).toEqual([{ language: 'es', enabled: false }]);
    expect(settings.canCaption).toBe(false);
    expect(settings.needsEndpoint).toEqual(['ko', 'zh', 'es']);
    await settings.setLanguage('en');
    expect(server.puts.at(-1)).toEqual({ language: 'en' });
    expect(settings.canCaption).toBe(true);
    // A language the server offers and no list names is offered too, as is a current one outside both.
    const other = new CaptionSettings(fakeServer({ ...embedded, language: 'sw', provider: 'openai', languages: ['en', 'yue'] }).api);
    await other.load();
    expect(other.languages).toEqual(expect.arrayContaining(['yue', 'sw', 'en']));
    expect(new Set(other.languages).size).toBe(other.languages.length);
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
