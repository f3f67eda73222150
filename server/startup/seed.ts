import crypto from 'node:crypto';
import type { Config } from '../config.ts';
import type { Accounts } from '../auth/accounts.ts';
import type { Shows } from '../shows/shows.ts';
import { logger } from '../log.ts';

const log = logger('seed');
const HOUR = 60 * 60 * 1000;

/**
 * First start only: an admin (credentials printed once), the always-live demo show
 * and two upcoming shows so the home page has something on it.
 */
export async function seed(deps: { accounts: Accounts; shows: Shows; config: Config }): Promise<void> {
  const { accounts, shows, config } = deps;
  if ((await accounts.count()) > 0) return;
  const password = config.admin.password ?? crypto.randomBytes(12).toString('base64url');
  const admin = await accounts.signUp(
    { email: config.admin.email, password, displayName: 'Hawker Admin' },
    'admin'
  );
  if (!config.admin.password) {
    // Printed once, on the first start: the password is not stored anywhere readable.
    process.stdout.write(
      `\n  Admin account created (shown only this once):\n    email:    ${admin.email}\n    password: ${password}\n\n`
    );
  }
  const demo = await shows.create(
    admin,
    {
      title: 'Hawker demo: always live',
      description: 'A test pattern with a running clock and a tone, streamed from the server so there is always something to watch.',
      scheduledAt: Date.now()
    },
    { isDemo: true }
  );
  await shows.goLive(admin, demo.id);
  await shows.create(admin, {
    title: 'Vintage denim drop',
    description: 'Ten one-off jackets, auctioned live.',
    scheduledAt: Date.now() + 24 * HOUR
  });
  await shows.create(admin, {
    title: 'Ceramics studio open house',
    description: 'Hand-thrown mugs and bowls, flash prices for the first hour.',
    scheduledAt: Date.now() + 3 * 24 * HOUR
  });
  log.info('database seeded');
}
