import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../config.ts';
import { createDatabase } from './postgres.ts';

/**
 * A configuration for tests: in-memory database, ephemeral ports, no demo source unless asked.
 * With HAWKER_TEST_DATABASE=postgres (`npm run test:integration:pg`), an app left on the in-memory
 * database runs on a fresh PostgreSQL database of its own instead; one given a SQLite file (which
 * its test reads itself) stays on SQLite.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const env: Record<string, string> = {
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
  };
  if (onPostgres() && env.DATABASE_PATH === ':memory:' && !env.DATABASE_URL) env.DATABASE_URL = createDatabase(inject('testPostgresUrl'));
  return loadConfig(env);
}

/**
 * Overrides naming a database that outlives its app, for a test that starts apps on it one after another:
 * a SQLite file in `dir`, or under HAWKER_TEST_DATABASE=postgres, a PostgreSQL database of its own.
 */
export function lastingDatabase(dir: string): Record<string, string> {
  return onPostgres() ? { DATABASE_URL: createDatabase(inject('testPostgresUrl')) } : { DATABASE_PATH: path.join(dir, 'hawker.db') };
}

const onPostgres = () => process.env.HAWKER_TEST_DATABASE === 'postgres';
