import { loadConfig } from './config.ts';
import { startApp } from './app.ts';
import { logger } from './log.ts';

const log = logger('main');

const app = await startApp(loadConfig());
process.stdout.write(`\n  Hawker is live at ${app.url}\n\n`);

// One failing handler must not take every show down with it.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
    setTimeout(() => process.exit(1), 5000).unref();
  });
}
