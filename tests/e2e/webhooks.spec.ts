import { test, expect } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../../server/testing/webhook-receiver.ts';
import { newShow, signIn } from './helpers.ts';

test('a host registers a webhook, keeps its secret, reads the delivery log with the receiver’s answer, and replays', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const receiver = await WebhookReceiver.start();
  try {
    // The receiver refuses the first attempt, so the log shows a failure before the success.
    let calls = 0;
    receiver.answer = () => (calls++ === 0 ? { status: 500, body: 'receiver is warming up' } : { status: 200, body: 'thanks' });
    await signIn(page);
    await page.getByTestId('my-shows-link').click();
    await page.getByTestId('webhooks-link').click();
    await expect(page).toHaveURL(/\/sell\/webhooks$/);

    // Without an event chosen, the form says so before asking the server.
    await page.getByTestId('webhook-url').fill(receiver.url());
    await page.getByTestId('webhook-event-order.paid').uncheck();
    await page.getByTestId('webhook-create').click();
    await expect(page.getByTestId('webhook-form-error')).toHaveText('Choose at least one event.');

    await page.getByTestId('webhook-event-show.live').check();
    await page.getByTestId('webhook-create').click();
    await expect(page.getByTestId('webhook-created')).toContainText(receiver.url());
    await page.getByTestId('webhook-copy').click();
    await expect(page.getByTestId('webhook-copy')).toHaveText('Copied');
    const secret = await page.evaluate(() => navigator.clipboard.readText());
    expect(secret).toMatch(/^whsec_/);
    await page.getByTestId('webhook-dismiss').click();
    await page.reload();
    expect(await page.content()).not.toContain(secret);

    const show = await newShow(page, `Webhook show ${Date.now()}`);
    expect((await page.request.post(`/api/shows/${show.id}/live`)).status()).toBe(200);
    await receiver.until(() => receiver.received.length >= 1);

    const endpoint = page.locator(`[data-testid="webhook-endpoint"][data-url="${receiver.url()}"]`);
    await endpoint.getByTestId('webhook-log-toggle').click();
    const delivery = endpoint.getByTestId('webhook-delivery').first();
    await expect(delivery.getByTestId('webhook-delivery-answer')).toHaveText('Last answer: HTTP 500');
    await expect(delivery.getByTestId('webhook-delivery-response')).toHaveText('receiver is warming up');
    await expect(delivery).toContainText('Next attempt');

    await delivery.getByTestId('webhook-replay').click();
    await expect(delivery.getByTestId('webhook-delivery-status')).toHaveText('Pending');
    await receiver.until(() => receiver.received.length >= 2);
    await expect(async () => {
      await endpoint.getByTestId('webhook-log-refresh').click();
      await expect(delivery.getByTestId('webhook-delivery-status')).toHaveText('Delivered', { timeout: 1000 });
    }).toPass({ timeout: 10_000 });
    await expect(delivery.getByTestId('webhook-delivery-response')).toHaveText('thanks');

    const [first, second] = receiver.received;
    for (const hit of [first!, second!]) expect(new Webhook(secret).verify(hit.raw, hit.headers)).toMatchObject({ type: 'show.live', data: { show: { id: show.id } } });
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
  } finally {
    await receiver.close();
  }
});
