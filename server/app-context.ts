import type { Accounts } from './auth/accounts.ts';
import type { SessionStore } from './auth/session.ts';
import type { ApiTokens } from './auth/api-tokens.ts';
import type { Shows } from './shows/shows.ts';
import type { Orders } from './commerce/orders.ts';
import type { Sales } from './commerce/sales.ts';
import type { Catalog } from './commerce/catalog.ts';
import type { Webhooks } from './webhooks/webhooks.ts';

/**
 * What SvelteKit's server code may use. The SvelteKit build is a separate bundle, so
 * the composition root hands it the live services through one global slot instead
 * of letting the bundle open its own database.
 */
export interface AppContext {
  sessions: SessionStore;
  apiTokens: ApiTokens;
  accounts: Accounts;
  shows: Shows;
  orders: Orders;
  sales: Sales;
  catalog: Catalog;
  webhooks: Webhooks;
  /** Where LL-HLS recordings live (an ended show's replay). */
  hlsDir: string;
  secureCookies: boolean;
}

const slot = Symbol.for('hawker.appContext');

export function installAppContext(ctx: AppContext): void {
  (globalThis as Record<symbol, unknown>)[slot] = ctx;
}

export function appContext(): AppContext {
  const ctx = (globalThis as Record<symbol, unknown>)[slot] as AppContext | undefined;
  if (!ctx) throw new Error('The Hawker server has not installed its app context.');
  return ctx;
}
