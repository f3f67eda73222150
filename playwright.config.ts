import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3107);
const dbPath = `/tmp/hawker-e2e-${port}.db`;
export const E2E_ADMIN = { email: 'admin@hawker.test', password: 'e2e-admin-password' };

/** Debian's Chromium, which setup installs. */
export const chromiumPath = '/usr/bin/chromium';
/** These flags let WebRTC connect over loopback with a fake camera and microphone. */
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required'
];

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'off'
  },
  webServer: {
    // A fresh database each run, so the seed (admin, demo show) runs every time.
    command: `rm -f ${dbPath} ${dbPath}-wal ${dbPath}-shm && node server/index.ts`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      UPLOAD_DIR: `/tmp/hawker-e2e-uploads-${port}`,
      ADMIN_EMAIL: E2E_ADMIN.email,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      MEDIASOUP_WORKERS: '2',
      // Fixed ports as in production, apart from those of an `npm start` on the same machine.
      RTC_VIEWER_PORT: process.env.E2E_RTC_VIEWER_PORT ?? '20100',
      // Every spec signs its buyers up and its hosts in from the one loopback address; the per-address limits have tests of their own.
      SIGNUP_LIMIT_PER_HOUR: '1000',
      SIGNIN_LIMIT_PER_ADDRESS: '1000',
      // The webhooks spec's receiver listens on loopback over plain http.
      WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'true',
      WEBHOOKS_ALLOW_HTTP: 'true',
      LOG_LEVEL: 'warn'
    }
  }
});
