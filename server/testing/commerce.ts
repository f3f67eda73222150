import { TEST_CARDS } from '../commerce/payments.ts';
import { buyerSession, liveShow, postJson } from './http.ts';

/** Helpers for commerce tests against a running server. */
export const testAddress = { name: 'Ann Buyer', line1: '1 Market St', city: 'Seoul', postalCode: '04524', country: 'kr' };
export const goodCard = { number: TEST_CARDS.success, expiry: '12/40', cvc: '123' };

export async function send(method: string, url: string, body: unknown, cookie?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** A new account promoted to host by the admin. */
export async function hostSession(base: string, admin: string, email: string): Promise<string> {
  const cookie = await buyerSession(base, email);
  const res = await send('PUT', `${base}/api/users/role`, { email, role: 'host' }, admin);
  if (res.status !== 200) throw new Error(`could not make ${email} a host: ${res.status}`);
  return cookie;
}

/** A live show of this host whose lineup holds one new product; returns both. */
export async function liveShowWithProduct(base: string, host: string, product: { title: string; price: number; stock: number; currency?: string }) {
  const show = await liveShow(base, host, `${product.title} night`);
  const created = (await postJson(`${base}/api/products`, { currency: 'USD', ...product }, host)).json.product as { id: string; variants: { id: string }[] };
  const lineup = await send('PUT', `${base}/api/shows/${show.id}/lineup`, { productIds: [created.id] }, host);
  if (lineup.status !== 200) throw new Error(`lineup failed: ${lineup.status}`);
  return { showId: show.id, product: created, variantId: created.variants[0]!.id };
}
