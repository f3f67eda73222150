import { describe, expect, it } from 'vitest';
import { fakeConnection, settle } from '$lib/testing/fake-socket';
import type { ChatMessageDto } from '$shared/chat';
import { ChatRoom } from './chat-room.svelte';

const message = (id: number, text: string, question: boolean): ChatMessageDto => ({
  id, user: { id: 'ann', displayName: 'Ann', badge: null }, text, replyTo: null, question, at: id
});

function setup() {
  const c = fakeConnection((req) => (req.method === 'chatSend' ? { data: { message: message(9, 'Tell me the fabric', true) } } : { data: {} }));
  const chat = new ChatRoom('s1', c.client);
  c.socket.open();
  return { c, chat };
}

describe('the chat’s questions', () => {
  it('lists questions newest first, leaving out the one pinned now', () => {
    const { c, chat } = setup();
    c.socket.notify('chat', { messages: [message(1, 'Blue?', true), message(2, 'Love it', false), message(3, 'Ships to Busan?', true)] });
    expect(chat.openQuestions.map((m) => m.id)).toEqual([3, 1]);
    c.socket.notify('chatSettings', { pinned: message(3, 'Ships to Busan?', true), slowModeSeconds: 0 });
    expect(chat.openQuestions.map((m) => m.id)).toEqual([1]);
    c.socket.notify('chatSettings', { pinned: null, slowModeSeconds: 0 });
    expect(chat.openQuestions.map((m) => m.id)).toEqual([3, 1]);
  });

  it('sends the buyer’s question mark with the message', async () => {
    const { c, chat } = setup();
    await chat.send('Tell me the fabric', undefined, true);
    await settle();
    expect(c.sent.find((r) => r.method === 'chatSend')?.data).toMatchObject({ text: 'Tell me the fabric', question: true });
    expect(chat.openQuestions.map((m) => m.id)).toEqual([9]);
  });
});

describe('the chat’s arrivals', () => {
  it('reports messages arriving live, not the history a join loads, nor a message twice', async () => {
    const c = fakeConnection((req) => (req.method === 'chatHistory' ? { data: { messages: [message(1, 'Earlier', false)], pinned: null, slowModeSeconds: 0, heartsTotal: 0 } } : { data: {} }));
    const chat = new ChatRoom('s1', c.client);
    c.socket.open();
    const arrived: number[][] = [];
    const stop = chat.onArrival((ms) => arrived.push(ms.map((m) => m.id)));
    await chat.refresh();
    c.socket.notify('chat', { messages: [message(1, 'Earlier', false), message(2, 'Hello', false)] });
    c.socket.notify('chat', { messages: [message(2, 'Hello', false)] });
    stop();
    c.socket.notify('chat', { messages: [message(3, 'Bye', false)] });
    expect(arrived).toEqual([[2]]);
  });
});
