import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, buyerSession, getJson, postJson } from '../testing/http.ts';
import { goodCard, hostSession, liveShowWithProduct, testAddress } from '../testing/commerce.ts';

describe('a seller ships, refunds and exports orders after the show ended', () => {
  let app: RunningApp;
  let base: string;
  let hostA: string;
  let hostB: string;
  let ann: string;
  let showId: string;
  let orderId: string;
  /** A name a spreadsheet would run as a formula, with a quote and a comma in the street. */
  const address = { ...testAddress, name: '=HYPERLINK("http://evil.test")', line1: '1 "Market", St' };

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    base = app.url;
    const admin = await adminSession(base);
    hostA = await hostSession(base, admin, 'host-a@sales.test');
    hostB = await hostSession(base, admin, 'host-b@sales.test');
    ann = await buyerSession(base, 'ann@sales.test', 'Ann Lee');
    const show = await liveShowWithProduct(base, hostA, { title: 'Teapot', price: 4500, stock: 5 });
    showId = show.showId;
    const bought = await postJson(`${base}/api/buy`, { showId, variantId: show.variantId, quantity: 2, idempotencyKey: 'ann-teapot-1' }, ann);
    orderId = bought.json.order.id;
    expect((await postJson(`${base}/api/orders/${orderId}/pay`, { shippingAddress: address, card: goodCard }, ann)).json.order.status).toBe('paid');
    expect((await postJson(`${base}/api/shows/${showId}/end`, {}, hostA)).status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  const ids = (res: { json: { orders: { id: string }[] } }) => res.json.orders.map((o) => o.id);

  it('lists the seller’s orders with buyer, address and items, filtered by status and show; nobody else’s', async () => {
    const all = await getJson(`${base}/api/sales`, hostA);
    expect(all.json.orders[0]).toMatchObject({
      id: orderId, status: 'paid', buyerName: 'Ann Lee', showTitle: 'Teapot night', total: 9000, tracking: null,
      shippingAddress: { name: address.name, city: 'Seoul', country: 'KR' }, items: [{ title: 'Teapot', quantity: 2 }]
    });
    expect(ids(await getJson(`${base}/api/sales?status=paid&showId=${showId}`, hostA))).toEqual([orderId]);
    expect(ids(await getJson(`${base}/api/sales?status=refunded`, hostA))).toEqual([]);
    expect(ids(await getJson(`${base}/api/sales?showId=another-show`, hostA))).toEqual([]);
    expect((await getJson(`${base}/api/sales?status=lost`, hostA)).status).toBe(400);
    expect(ids(await getJson(`${base}/api/sales`, hostB))).not.toContain(orderId);
    expect((await getJson(`${base}/api/sales`, ann)).status).toBe(403);
  });

  it('exports CSV with quoting and a guard against spreadsheet formulas, to the seller only', async () => {
    const res = await fetch(`${base}/api/sales.csv?status=paid`, { headers: { cookie: hostA } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, row, ...rest] = (await res.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toMatch(/^order,date,status,show,buyer,items,currency,subtotal,discount,shipping,tax,total,/);
    expect(rest).toEqual(['']);
    expect(row).toContain(`${orderId},`);
    expect(row).toContain(',Ann Lee,Teapot x2,USD,90.00,0.00,0.00,0.00,90.00,');
    expect(row).toContain(`,"'=HYPERLINK(""http://evil.test"")",`);
    expect(row).toContain(`,"1 ""Market"", St",`);

    const other = await fetch(`${base}/api/sales.csv`, { headers: { cookie: hostB } });
    expect(await other.text()).not.toContain(orderId);
    expect((await fetch(`${base}/api/sales.csv`, { headers: { cookie: ann } })).status).toBe(403);
    expect((await fetch(`${base}/api/sales.csv`)).status).toBe(401);
  });

  it('ships with a carrier and tracking number the buyer then sees; another host may not', async () => {
    const ship = (body: unknown, cookie: string) => postJson(`${base}/api/orders/${orderId}/fulfil`, body, cookie);
    expect((await ship({ carrier: 'CJ', trackingNumber: '123' }, hostB)).status).toBe(403);
    expect((await ship({ carrier: 'CJ', trackingNumber: '123' }, ann)).status).toBe(403);
    const blank = await ship({ carrier: '  ', trackingNumber: '123' }, hostA);
    expect(blank.status).toBe(400);
    expect(blank.json.error.message).toMatch(/carrier/i);
    expect((await ship({ carrier: 'CJ', trackingNumber: 'x'.repeat(81) }, hostA)).status).toBe(400);
    expect((await getJson(`${base}/api/orders/${orderId}`, ann)).json.order).toMatchObject({ status: 'paid', tracking: null });

    const shipped = await ship({ carrier: ' CJ Logistics ', trackingNumber: ' 6012 3456 ' }, hostA);
    expect(shipped.json.order).toMatchObject({ status: 'fulfilled', tracking: { carrier: 'CJ Logistics', number: '6012 3456' } });
    const mine = (await getJson(`${base}/api/orders`, ann)).json.orders.find((o: { id: string }) => o.id === orderId);
    expect(mine.tracking).toEqual({ carrier: 'CJ Logistics', number: '6012 3456' });
    // A buyer's own order list does not carry other buyers' names or the seller's view.
    expect(mine.buyerName).toBeUndefined();
  });

  it('refunds only with a reason, which the buyer sees', async () => {
    const refund = (body: unknown, cookie: string) => postJson(`${base}/api/orders/${orderId}/refund`, body, cookie);
    expect((await refund({ reason: 'Broken' }, hostB)).status).toBe(403);
    expect((await refund({}, hostA)).status).toBe(400);
    expect((await refund({ reason: '   ' }, hostA)).status).toBe(400);
    expect((await getJson(`${base}/api/orders/${orderId}`, ann)).json.order.status).toBe('fulfilled');

    const done = await refund({ reason: ' Arrived broken ' }, hostA);
    expect(done.json.order).toMatchObject({ status: 'refunded', refundReason: 'Arrived broken' });
    expect((await getJson(`${base}/api/orders/${orderId}`, ann)).json.order.refundReason).toBe('Arrived broken');
  });

  it('counts exports and changes to shipping and tax per seller', async () => {
    const hostC = await hostSession(base, await adminSession(base), 'host-c@sales.test');
    const exportCsv = (cookie: string) => fetch(`${base}/api/sales.csv`, { headers: { cookie } });
    for (let i = 0; i < 10; i++) expect((await exportCsv(hostC)).status).toBe(200);
    const refused = await exportCsv(hostC);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect((await exportCsv(hostA)).status).toBe(200);

    const setTerms = (cookie: string) =>
      fetch(`${base}/api/seller-terms`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ currency: 'USD', shippingPerOrder: 500, shippingPerExtraItem: 100, taxRateBp: 1000 }) });
    for (let i = 0; i < 20; i++) expect((await setTerms(hostC)).status).toBe(200);
    expect((await setTerms(hostC)).status).toBe(429);
    expect((await setTerms(hostA)).status).toBe(200);
  });
});
