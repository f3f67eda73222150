import { loadConfig, type Config } from '../config.ts';

/** A configuration for tests: in-memory database, ephemeral ports, no demo source unless asked. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_PATH: ':memory:',
    UPLOAD_DIR: `/tmp/hawker-test-uploads-${process.pid}`,
    HLS_DIR: `/tmp/hawker-test-hls-${process.pid}`,
    MEDIASOUP_WORKERS: '1',
    // Test files run side by side: each server's workers take free ports.
    RTC_VIEWER_PORT: '0',
    DEMO_SHOW: 'false',
    ADMIN_PASSWORD: 'admin-password-for-tests',
    LOG_LEVEL: 'silent',
    ...overrides
  });
}
