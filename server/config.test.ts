import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('the cluster address', () => {
  const cluster = { REDIS_URL: 'redis://127.0.0.1:6379' };

  it('defaults to HOST, where other nodes reach a node bound to one address', () => {
    expect(loadConfig({ ...cluster, HOST: '10.0.0.11' }).clusterAddress).toBe('10.0.0.11');
    expect(loadConfig({ ...cluster, HOST: '0.0.0.0', CLUSTER_ADDRESS: '10.0.0.11' }).clusterAddress).toBe('10.0.0.11');
  });

  it('is required in cluster mode when HOST is a wildcard, and refuses what is not an address', () => {
    expect(() => loadConfig({ ...cluster, HOST: '0.0.0.0' })).toThrow(/CLUSTER_ADDRESS/);
    expect(() => loadConfig({ ...cluster, HOST: '::' })).toThrow(/CLUSTER_ADDRESS/);
    expect(() => loadConfig({ ...cluster, CLUSTER_ADDRESS: 'http://10.0.0.11/' })).toThrow(/CLUSTER_ADDRESS/);
    // One node alone needs none.
    expect(loadConfig({ HOST: '0.0.0.0' }).clusterAddress).toBeUndefined();
  });
});

describe('webhook destinations', () => {
  it('are public https addresses unless the operator allows private addresses or plain http', () => {
    expect(loadConfig({}).webhooks).toEqual({ allowPrivateAddresses: false, allowHttp: false });
    expect(loadConfig({ WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'true', WEBHOOKS_ALLOW_HTTP: '1' }).webhooks).toEqual({ allowPrivateAddresses: true, allowHttp: true });
    expect(() => loadConfig({ WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'maybe' })).toThrow(/WEBHOOKS_ALLOW_PRIVATE_ADDRESSES/);
  });
});

describe('caption streams per node', () => {
  it('are 8 unless CAPTIONS_MAX_STREAMS says otherwise; 0 captions nothing', () => {
    expect(loadConfig({}).captions.maxStreams).toBe(8);
    expect(loadConfig({ CAPTIONS_MAX_STREAMS: '0' }).captions.maxStreams).toBe(0);
    expect(() => loadConfig({ CAPTIONS_MAX_STREAMS: '-1' })).toThrow(/CAPTIONS_MAX_STREAMS/);
  });
});

describe('chat translation', () => {
  it('is Apertium unless told; the LibreTranslate provider needs its URL', () => {
    expect(loadConfig({}).translation).toEqual({ provider: 'apertium', apertiumDataDir: '/usr/share/apertium', endpoint: undefined });
    expect(loadConfig({ TRANSLATION_PROVIDER: 'libretranslate', TRANSLATION_ENDPOINT_URL: 'http://127.0.0.1:5000/', TRANSLATION_ENDPOINT_KEY: 'k' }).translation.endpoint).toEqual({ url: 'http://127.0.0.1:5000', key: 'k' });
    expect(() => loadConfig({ TRANSLATION_PROVIDER: 'libretranslate' })).toThrow(/TRANSLATION_ENDPOINT_URL/);
    expect(() => loadConfig({ TRANSLATION_ENDPOINT_URL: 'ftp://x' })).toThrow(/TRANSLATION_ENDPOINT_URL/);
    expect(() => loadConfig({ TRANSLATION_PROVIDER: 'deepl' })).toThrow(/TRANSLATION_PROVIDER/);
  });
});

describe('configured endpoint URLs', () => {
  it('are http(s) base URLs without credentials, their trailing slashes trimmed when read', () => {
    const both = (url: string) => ({ CAPTIONS_ENDPOINT_URL: url, TRANSLATION_ENDPOINT_URL: url });
    const read = loadConfig(both('https://speech.example/base//'));
    expect([read.captions.endpoint?.url, read.translation.endpoint?.url]).toEqual(['https://speech.example/base', 'https://speech.example/base']);
    for (const url of ['https://user:key@speech.example', 'https://key@speech.example/', 'http://:key@127.0.0.1:5000']) {
      expect(() => loadConfig(both(url))).toThrow(/CAPTIONS_ENDPOINT_URL: must not hold a user name or password/);
      expect(() => loadConfig(both(url))).toThrow(/TRANSLATION_ENDPOINT_URL: must not hold a user name or password/);
    }
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/hawker' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });
});

describe('captions engines', () => {
  it('default to the embedded PocketSphinx, and take an OpenAI-compatible endpoint by URL, model and key', () => {
    expect(loadConfig({}).captions).toMatchObject({ provider: 'pocketsphinx', endpoint: undefined });
    expect(loadConfig({ CAPTIONS_PROVIDER: 'off' }).captions.provider).toBe('off');
    const endpoint = loadConfig({ CAPTIONS_PROVIDER: 'openai', CAPTIONS_ENDPOINT_URL: 'http://127.0.0.1:8080/', CAPTIONS_ENDPOINT_KEY: 'sk-1' }).captions;
    expect(endpoint.provider).toBe('openai');
    expect(endpoint.endpoint).toEqual({ url: 'http://127.0.0.1:8080', model: 'whisper-1', key: 'sk-1', timeoutMs: 10_000 });
    expect(loadConfig({ CAPTIONS_PROVIDER: 'openai', CAPTIONS_ENDPOINT_URL: 'http://x', CAPTIONS_ENDPOINT_TIMEOUT_SECONDS: '30' }).captions.endpoint?.timeoutMs).toBe(30_000);
    expect(() => loadConfig({ CAPTIONS_PROVIDER: 'openai' })).toThrow(/CAPTIONS_ENDPOINT_URL/);
    expect(() => loadConfig({ CAPTIONS_PROVIDER: 'whisper' })).toThrow(/CAPTIONS_PROVIDER/);
    expect(() => loadConfig({ CAPTIONS_ENDPOINT_URL: 'ftp://host/' })).toThrow(/CAPTIONS_ENDPOINT_URL/);
  });
});
