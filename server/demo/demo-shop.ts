import crypto from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import type { Accounts } from '../auth/accounts.ts';
import type { Catalog } from '../commerce/catalog.ts';
import { storeProductImage } from '../commerce/images.ts';
import type { Shows } from '../shows/shows.ts';
import { logger } from '../log.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { ProductDto } from '#shared/commerce.ts';
import { createProductSchema } from '#shared/commerce.ts';
import { DEMO_ACCOUNTS, DEMO_PRODUCTS } from './demo-content.ts';
import { coverSvg, productSvg } from './product-art.ts';
import { storeCover } from '../shows/covers.ts';

const log = logger('demo-shop');

/** Who acts in the demo show: its host (who runs lots, drops, polls and the coupon) and the demo bidders. */
export interface DemoCast {
  showId: string;
  host: PublicUser;
  bidders: PublicUser[];
  /** The show's lineup; lot i is cut from product i mod its length. */
  products: ProductDto[];
}

/**
 * Gives the live demo show its shop, on every start but only once: the demo accounts, and
 * products with images drawn here (no downloads) in its lineup. Null when there is no demo show.
 */
export async function seedDemoShop(deps: { accounts: Accounts; shows: Shows; catalog: Catalog; uploadDir: string }): Promise<DemoCast | null> {
  const { accounts, shows, catalog } = deps;
  const show = await shows.findDemo();
  if (!show) return null;
  const host = await accounts.byId(show.host.id);
  if (!host) return null;
  const bidders: PublicUser[] = [];
  for (const a of DEMO_ACCOUNTS) {
    // A password no one is told: the demo accounts bid and chat from the server only.
    bidders.push((await accounts.findByEmail(a.email)) ?? (await accounts.signUp({ ...a, password: crypto.randomBytes(24).toString('base64url') })));
  }
  let products = await catalog.lineup(show.id);
  if (products.length === 0) {
    const ids: string[] = [];
    for (const p of DEMO_PRODUCTS) {
      const created = await catalog.create(host, createProductSchema.parse({ title: p.name, description: p.description, currency: 'USD', price: p.price, stock: p.stock }));
      await catalog.addImage(host, created.id, await storeProductImage(path.join(deps.uploadDir, 'products'), await png(productSvg(p))));
      ids.push(created.id);
    }
    products = await catalog.setLineup(host.id, show.id, ids);
    // The home page's card shows what the demo sells.
    if (!show.coverUrl) await shows.setCover(host, show.id, await storeCover(deps.uploadDir, show.id, await png(coverSvg(DEMO_PRODUCTS))));
    log.info({ show: show.id, products: products.length }, 'demo shop stocked');
  }
  return { showId: show.id, host, bidders, products };
}

/** Drawn here; the image pipeline then checks and re-encodes it like any upload. */
function png(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}
