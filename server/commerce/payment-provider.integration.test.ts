import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';

const base = { DATABASE_PATH: ':memory:', UPLOAD_DIR: `/tmp/hawker-test-uploads-${process.pid}`, HOST: '127.0.0.1', PORT: '0', MEDIASOUP_WORKERS: '1', DEMO_SHOW: 'false', HLS_ENABLED: 'false', ADMIN_PASSWORD: 'admin-password-for-tests' };

/**
 * Starts the real server entry point and collects its output until `done(output)` or it exits.
 * The log and the "live" line travel separately, so the test waits for what it needs, not for the first.
 */
function runServer(env: Record<string, string>, done: (output: string) => boolean = () => false): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['server/index.ts'], { env: { PATH: process.env.PATH ?? '', ...base, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      if (done(output)) child.kill('SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the payment provider is explicit configuration', () => {
  it('defaults to the test provider outside production and refuses it in production unless allowed', () => {
    expect(loadConfig(base).payments.provider).toBe('test');
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/PAYMENT_PROVIDER: required/);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', PAYMENT_PROVIDER: 'test' })).toThrow(/ALLOW_TEST_PAYMENTS/);
    expect(loadConfig({ ...base, NODE_ENV: 'production', PAYMENT_PROVIDER: 'test', ALLOW_TEST_PAYMENTS: 'true' }).payments.provider).toBe('test');
    expect(() => loadConfig({ ...base, PAYMENT_PROVIDER: 'paypal' })).toThrow(/PAYMENT_PROVIDER/);
  });

  it('a server started with the test provider warns loudly; a production server without permission does not start', async () => {
    const dev = await runServer({}, (output) => output.includes('Hawker is live') && output.includes('TEST PAYMENTS'));
    expect(dev.output).toContain('Hawker is live');
    const warning = dev.output.split('\n').find((l) => l.includes('TEST PAYMENTS'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, module: 'payments' });

    const prod = await runServer({ NODE_ENV: 'production', PAYMENT_PROVIDER: 'test' }, (output) => output.includes('Hawker is live'));
    expect(prod.code).not.toBe(0);
    expect(prod.output).not.toContain('Hawker is live');
    expect(prod.output).toMatch(/ALLOW_TEST_PAYMENTS/);
  }, 60_000);
});
