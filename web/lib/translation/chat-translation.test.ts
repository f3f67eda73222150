import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientError } from '$lib/client-error';
import type { TranslateRequest, TranslationsDto } from '$shared/translation';
import { ChatTranslation } from './chat-translation.svelte';

const spanish = (text: string) => `es:${text}`;
const texts: Record<number, string> = { 1: 'Hello', 2: 'Nice bag', 3: 'How much?', 4: 'Deleted one' };

/** A server that translates by prefixing, withholds message 4, and can be told to fail. */
function setup(languages = ['es', 'ko']) {
  const requests: TranslateRequest[] = [];
  let failure: ClientError | null = null;
  let overlay = { notice: null as string | null, poll: null as { id: string; question: string } | null };
  const tr = new ChatTranslation(
    {
      offer: async () => ({ provider: 'apertium', from: 'en', languages }),
      translate: async (req) => {
        requests.push(req);
        if (failure) throw failure;
        const ids = req.messageIds ?? [];
        const reply: TranslationsDto = {
          to: req.to,
          messages: ids.filter((id) => id !== 4).map((id) => ({ id, text: spanish(texts[id]!) })),
          withheld: ids.filter((id) => id === 4),
          notice: req.notice && overlay.notice ? { source: overlay.notice, text: spanish(overlay.notice) } : null,
          poll: req.poll && overlay.poll ? { id: overlay.poll.id, question: spanish(overlay.poll.question) } : null
        };
        return reply;
      }
    },
    { batchMs: 100, backOffMs: 1000 }
  );
  return {
    tr,
    requests,
    fail: (err: ClientError | null) => (failure = err),
    setOverlay: (o: typeof overlay) => {
      overlay = o;
      tr.seeOverlay(o.notice, o.poll);
    }
  };
}

const msg = (id: number) => ({ id, text: texts[id]! });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('chat translation', () => {
  it('offers the server’s languages and defaults to the reader’s own, else the first', async () => {
    const { tr } = setup();
    expect(tr.offered).toBe(false);
    await tr.load();
    expect(tr.languages).toEqual(['es', 'ko']);
    expect(tr.defaultLanguage('ko')).toBe('ko');
    expect(tr.defaultLanguage('en')).toBe('es');
  });

  it('offers nothing when the offer cannot be read', async () => {
    const tr = new ChatTranslation({ offer: () => Promise.reject(new Error('down')), translate: () => Promise.reject(new Error('down')) });
    await tr.load();
    expect(tr.offered).toBe(false);
  });

  it('translates what is on screen, then new messages in one batch each, never a message twice', async () => {
    const { tr, requests } = setup();
    await tr.load();
    tr.see([msg(1)]);
    await vi.advanceTimersByTimeAsync(500);
    expect(requests).toEqual([]); // off until the viewer turns it on
    tr.start('es');
    await vi.advanceTimersByTimeAsync(150);
    expect(tr.text(msg(1))).toBe('es:Hello');
    tr.see([msg(1), msg(2)]);
    tr.see([msg(1), msg(2), msg(3), msg(4)]);
    await vi.advanceTimersByTimeAsync(150);
    expect(requests.map((r) => r.messageIds)).toEqual([[1], [2, 3, 4]]);
    expect(tr.text(msg(3))).toBe('es:How much?');
    // Withheld: shown in the original, with nothing to toggle.
    expect(tr.text(msg(4))).toBe('Deleted one');
    expect(tr.translated(4)).toBe(false);
  });

  it('keeps only the messages still on screen, and asks again for one that comes back', async () => {
    const { tr, requests } = setup();
    await tr.load();
    tr.start('es');
    tr.see([msg(1), msg(2)]);
    await vi.advanceTimersByTimeAsync(150);
    tr.toggle(1);
    // The chat's window moves on: 1 and 2 leave it, 3 arrives.
    tr.see([msg(3)]);
    expect(tr.translated(1)).toBe(false);
    expect(tr.translated(2)).toBe(false);
    await vi.advanceTimersByTimeAsync(150);
    // Back on screen (a rejoin's history): translated again, shown translated.
    tr.see([msg(1), msg(3)]);
    await vi.advanceTimersByTimeAsync(150);
    expect(requests.map((r) => r.messageIds)).toEqual([[1, 2], [3], [1]]);
    expect(tr.text(msg(1))).toBe('es:Hello');
  });

  it('does not keep an answer for a message that left the screen while it was asked', async () => {
    let answer: (reply: TranslationsDto) => void = () => {};
    const tr = new ChatTranslation(
      { offer: async () => ({ provider: 'apertium', from: 'en', languages: ['es'] }), translate: () => new Promise((resolve) => (answer = resolve)) },
      { batchMs: 100 }
    );
    await tr.load();
    tr.start('es');
    tr.see([msg(1), msg(2)]);
    await vi.advanceTimersByTimeAsync(150);
    tr.see([msg(2)]);
    answer({ to: 'es', messages: [1, 2].map((id) => ({ id, text: spanish(texts[id]!) })), withheld: [], notice: null, poll: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(tr.text(msg(2))).toBe('es:Nice bag');
    // Had it been kept, it would show again if the message came back, without being asked.
    tr.see([msg(1), msg(2)]);
    expect(tr.translated(1)).toBe(false);
  });

  it('tells listeners which messages each answer settled, translated or withheld', async () => {
    const { tr } = setup();
    await tr.load();
    const settled: number[][] = [];
    const stop = tr.onAnswer((ids) => settled.push([...ids]));
    tr.start('es');
    tr.see([msg(1), msg(4)]);
    await vi.advanceTimersByTimeAsync(150);
    stop();
    tr.see([msg(1), msg(4), msg(2)]);
    await vi.advanceTimersByTimeAsync(150);
    expect(settled).toEqual([[1, 4]]);
  });

  it('keeps the original one tap away', async () => {
    const { tr } = setup();
    await tr.load();
    tr.start('es');
    tr.see([msg(1)]);
    await vi.advanceTimersByTimeAsync(150);
    expect(tr.showsTranslation(1)).toBe(true);
    tr.toggle(1);
    expect(tr.text(msg(1))).toBe('Hello');
    expect(tr.translated(1)).toBe(true);
    tr.toggle(1);
    expect(tr.text(msg(1))).toBe('es:Hello');
  });

  it('translates the notice and the poll question, each once, and a new one when it changes', async () => {
    const { tr, requests, setOverlay } = setup();
    await tr.load();
    setOverlay({ notice: 'Free shipping', poll: { id: 'p1', question: 'Which colour?' } });
    tr.start('es');
    await vi.advanceTimersByTimeAsync(150);
    expect(tr.noticeText('Free shipping')).toBe('es:Free shipping');
    expect(tr.pollQuestion({ id: 'p1', question: 'Which colour?' })).toBe('es:Which colour?');
    setOverlay({ notice: 'Free shipping', poll: { id: 'p1', question: 'Which colour?' } });
    await vi.advanceTimersByTimeAsync(150);
    expect(requests).toHaveLength(1);
    setOverlay({ notice: 'Last call', poll: { id: 'p1', question: 'Which colour?' } });
    expect(tr.noticeText('Last call')).toBe('Last call');
    await vi.advanceTimersByTimeAsync(150);
    expect(requests.at(-1)).toMatchObject({ notice: true, poll: false, messageIds: [] });
    expect(tr.noticeText('Last call')).toBe('es:Last call');
    tr.toggle('notice');
    expect(tr.noticeText('Last call')).toBe('Last call');
  });

  it('shows a withheld notice or poll question in the original with nothing to toggle, and does not ask again', async () => {
    const requests: TranslateRequest[] = [];
    const tr = new ChatTranslation(
      {
        offer: async () => ({ provider: 'apertium', from: 'en', languages: ['es'] }),
        // The word filter (or the length limit) holds both back.
        translate: async (req) => (requests.push(req), { to: req.to, messages: [], withheld: [], notice: null, poll: null })
      },
      { batchMs: 100 }
    );
    await tr.load();
    const poll = { id: 'p1', question: 'Which colour?' };
    tr.seeOverlay('Free shipping', poll);
    tr.start('es');
    await vi.advanceTimersByTimeAsync(150);
    expect(requests).toHaveLength(1);
    expect(tr.noticeTranslated('Free shipping')).toBe(false);
    expect(tr.noticeText('Free shipping')).toBe('Free shipping');
    expect(tr.pollTranslated(poll)).toBe(false);
    expect(tr.pollQuestion(poll)).toBe('Which colour?');
    tr.seeOverlay('Free shipping', poll);
    await vi.advanceTimersByTimeAsync(500);
    expect(requests).toHaveLength(1);
  });

  it('asks for a notice or poll that changed while the last one was being translated', async () => {
    const requests: TranslateRequest[] = [];
    const answers: ((r: TranslationsDto) => void)[] = [];
    const tr = new ChatTranslation(
      {
        offer: async () => ({ provider: 'apertium', from: 'en', languages: ['es'] }),
        translate: (req) => (requests.push(req), new Promise((resolve) => answers.push(resolve)))
      },
      { batchMs: 100 }
    );
    await tr.load();
    tr.seeOverlay('Free shipping', { id: 'p1', question: 'Which colour?' });
    tr.start('es');
    await vi.advanceTimersByTimeAsync(150);
    // Both change before the answer comes, which withholds the old ones.
    tr.seeOverlay('Last call', { id: 'p2', question: 'Which size?' });
    answers[0]!({ to: 'es', messages: [], withheld: [], notice: null, poll: null });
    await vi.advanceTimersByTimeAsync(150);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject({ notice: true, poll: true });
    answers[1]!({ to: 'es', messages: [], withheld: [], notice: { source: 'Last call', text: 'Última llamada' }, poll: { id: 'p2', question: '¿Qué talla?' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(tr.noticeText('Last call')).toBe('Última llamada');
    expect(tr.pollQuestion({ id: 'p2', question: 'Which size?' })).toBe('¿Qué talla?');
  });

  it('starts over in a new language and shows originals when turned off', async () => {
    const { tr, requests } = setup();
    await tr.load();
    tr.see([msg(1)]);
    tr.start('es');
    await vi.advanceTimersByTimeAsync(150);
    tr.start('ko');
    expect(tr.text(msg(1))).toBe('Hello');
    await vi.advanceTimersByTimeAsync(150);
    expect(requests.map((r) => r.to)).toEqual(['es', 'ko']);
    tr.stop();
    expect(tr.language).toBeNull();
    expect(tr.text(msg(1))).toBe('Hello');
    tr.start('xx');
    expect(tr.language).toBeNull();
  });

  it('keeps the originals when the server refuses, says why, and asks again after a pause', async () => {
    const { tr, requests, fail } = setup();
    await tr.load();
    tr.see([msg(1)]);
    fail(new ClientError('rate_limited', 'Too many translations'));
    tr.start('es');
    await vi.advanceTimersByTimeAsync(150);
    expect(tr.trouble).toBe('rate_limited');
    expect(tr.text(msg(1))).toBe('Hello');
    fail(null);
    await vi.advanceTimersByTimeAsync(500);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(requests).toHaveLength(2);
    expect(tr.text(msg(1))).toBe('es:Hello');
    expect(tr.trouble).toBeNull();
  });

  it('drops an answer that arrives after the language changed', async () => {
    let release: (r: TranslationsDto) => void = () => {};
    const tr = new ChatTranslation(
      { offer: async () => ({ provider: 'apertium', from: 'en', languages: ['es', 'ko'] }), translate: (req) => new Promise((r) => (release = (reply) => r({ ...reply, to: req.to }))) },
      { batchMs: 10 }
    );
    await tr.load();
    tr.see([msg(1)]);
    tr.start('es');
    await vi.advanceTimersByTimeAsync(20);
    const late = release;
    tr.start('ko');
    late({ to: 'es', messages: [{ id: 1, text: 'es:Hello' }], withheld: [], notice: null, poll: null });
    await vi.advanceTimersByTimeAsync(20);
    expect(tr.text(msg(1))).toBe('Hello');
  });
});
