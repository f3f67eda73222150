import { expect, it } from 'vitest';
import { onEachDialect } from '../testing/dialects.ts';
import { recordWebhookEvent } from './outbox.ts';
import { WebhookStore } from './webhook-store.ts';

onEachDialect('the webhook outbox and deliveries', (repo) => {
  const show = (id: string) => ({ show: { id, title: id, startedAt: 1 } });
  const live = (hostId: string, showId: string | null, at: number) =>
    repo().tx(() => recordWebhookEvent(repo(), { hostId, showId, type: 'show.live', at, data: show(showId ?? 'none') }));

  it('keeps events only for hosts with endpoints, fans them out to subscribers, and sends a show’s events one at a time in order', async () => {
    const { db, t } = repo();
    await repo().changes(db.insert(t.users).values([{ id: 'h1', email: 'h1@w.test', displayName: 'h1', role: 'host', passwordHash: 'x' }, { id: 'h2', email: 'h2@w.test', displayName: 'h2', role: 'host', passwordHash: 'x' }]));
    const store = new WebhookStore(repo());

    await live('h1', 's1', 100);
    expect(await repo().all(db.select().from(t.webhookEvents))).toEqual([]);

    await store.createEndpoint({ id: 'e1', hostId: 'h1', url: 'https://a.example/h', events: ['show.live'], secret: 'whsec_x', createdAt: 200 });
    await store.createEndpoint({ id: 'e2', hostId: 'h1', url: 'https://b.example/h', events: ['show.ended'], secret: 'whsec_y', createdAt: 200 });
    await live('h1', 's1', 300);
    await live('h1', 's1', 301);
    await live('h1', 's2', 302);
    await live('h1', null, 303);
    await live('h1', null, 304);
    expect(await store.fanOut(1000, 100)).toBe(4 + 1);
    // Fanned out once: a second round (or another node's) adds nothing.
    expect(await store.fanOut(1000, 100)).toBe(0);
    expect(await store.deliveries('e2', 50)).toEqual([]);
    const all = await store.deliveries('e1', 50);
    expect(all.map((d) => [d.showId, d.status])).toEqual([[null, 'pending'], [null, 'pending'], ['s2', 'pending'], ['s1', 'pending'], ['s1', 'pending']]);

    // Of s1 only its first event is due; s2's and the show-less ones all are.
    const due = await store.due(1000, 100);
    expect(due.map((d) => d.showId)).toEqual(['s1', 's2', null, null]);
    const [head] = due;
    expect(head).toMatchObject({ url: 'https://a.example/h', secret: 'whsec_x', type: 'show.live', payload: show('s1') });

    expect(await store.claim(head!, 5000)).toBe(true);
    expect(await store.claim(head!, 5000)).toBe(false);
    expect((await store.due(1000, 100)).map((d) => d.showId)).toEqual(['s2', null, null]);

    // A failed attempt leaves it pending and still first in line; its successor waits.
    await store.settle(head!.id, { at: 1100, ok: false, status: 500, response: 'boom', next: 2000 });
    expect((await store.due(1500, 100)).map((d) => d.showId)).toEqual(['s2', null, null]);
    expect((await store.due(2000, 100))[0]).toMatchObject({ id: head!.id, attempts: 1 });
    await store.settle(head!.id, { at: 2100, ok: true, status: 204, response: '', next: null });
    expect((await store.due(2100, 100)).map((d) => [d.showId, d.eventId > head!.eventId])).toEqual([['s1', true], ['s2', true], [null, true], [null, true]]);
    expect(await store.delivery('e1', head!.id)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204, deliveredAt: 2100, nextAttemptAt: null });

    // A replay sends it again from now with a fresh count; the other host's endpoint does not own it.
    expect(await store.replay('e2', head!.id, 3000)).toBe(false);
    expect(await store.replay('e1', head!.id, 3000)).toBe(true);
    expect(await store.delivery('e1', head!.id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: 3000 });

    // Out of the schedule: failed, and no longer in line.
    await store.settle(head!.id, { at: 3100, ok: false, status: null, response: 'error: ECONNREFUSED', next: null });
    expect(await store.delivery('e1', head!.id)).toMatchObject({ status: 'failed', lastStatus: null, lastResponse: 'error: ECONNREFUSED' });

    // Old events go, with their deliveries; an endpoint's deletion takes its deliveries.
    expect(await store.prune(302)).toBe(2);
    expect((await store.deliveries('e1', 50)).length).toBe(3);
    await store.deleteEndpoint('e1');
    expect(await repo().all(db.select().from(t.webhookDeliveries))).toEqual([]);
  });
});
