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
