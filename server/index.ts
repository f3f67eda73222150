import { loadConfig } from './config.ts';
import { startApp } from './app.ts';
import { logger } from './log.ts';

const log = logger('main');

const config = loadConfig();
const app = await startApp(config);
process.stdout.write(`\n  Hawker is live at ${app.url}\n\n`);

// One failing handler must not take every show down with it.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception'));

// mediasoup closes its workers itself on SIGINT/SIGTERM, which would cut every viewer's media before
// the drain; app.close() closes them last instead.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
    // The drain is bounded by the grace period; this bounds FFmpeg and workers closing after it.
    setTimeout(() => {
      log.error('shutdown did not finish in time');
      process.exit(1);
    }, config.shutdownGraceMs + 10_000).unref();
  });
}
