import type { ChatMessageDto } from '$shared/chat';
import type { RealtimeClient } from '$lib/realtime/realtime-client';

const KEEP = 200;

/** A show's chat as this browser sees it; history again on every (re)join. */
export class ChatRoom {
  messages = $state<ChatMessageDto[]>([]);
  pinned = $state<ChatMessageDto | null>(null);
  slowModeSeconds = $state(0);
  heartsTotal = $state(0);
  /** Bumped by hearts from everyone, for the floating-hearts animation. */
  heartBursts = $state<{ id: number; count: number }[]>([]);
  readonly #showId: string;
  readonly #client: RealtimeClient;
  readonly #unsubscribe: (() => void)[];
  readonly #arrivalListeners = new Set<(messages: ChatMessageDto[]) => void>();
  #burstId = 0;

  constructor(showId: string, client: RealtimeClient) {
    this.#showId = showId;
    this.#client = client;
    this.#unsubscribe = [
      client.on('chat', ({ messages }) => {
        const known = new Set(this.messages.map((m) => m.id));
        const arrived = messages.filter((m) => !known.has(m.id));
        this.messages = [...this.messages, ...arrived].slice(-KEEP);
        if (arrived.length) for (const listener of this.#arrivalListeners) listener(arrived);
      }),
      client.on('chatDeleted', ({ messageId }) => {
        this.messages = this.messages.filter((m) => m.id !== messageId);
        if (this.pinned?.id === messageId) this.pinned = null;
      }),
      client.on('chatSettings', (s) => {
        this.pinned = s.pinned;
        this.slowModeSeconds = s.slowModeSeconds;
      }),
      client.on('hearts', ({ count, total }) => {
        this.heartsTotal = total;
        const id = ++this.#burstId;
        this.heartBursts = [...this.heartBursts.slice(-20), { id, count: Math.min(count, 8) }];
      })
    ];
  }

  async refresh(): Promise<void> {
    const s = await this.#client.request('chatHistory', { showId: this.#showId });
    this.messages = s.messages;
    this.pinned = s.pinned;
    this.slowModeSeconds = s.slowModeSeconds;
    this.heartsTotal = s.heartsTotal;
  }

  /** Messages as they arrive live, never the history a (re)join loads: what a screen reader announces. */
  onArrival(listener: (messages: ChatMessageDto[]) => void): () => void {
    this.#arrivalListeners.add(listener);
    return () => this.#arrivalListeners.delete(listener);
  }

  /** Questions not pinned right now, newest first, for the host to pick the current one from. */
  get openQuestions(): ChatMessageDto[] {
    return this.messages.filter((m) => m.question && m.id !== this.pinned?.id).reverse();
  }

  /** `question`: the sender asks the host; the server counts text ending in ? as one anyway. */
  async send(text: string, replyTo?: number, question = false): Promise<void> {
    const { message } = await this.#client.request('chatSend', { showId: this.#showId, text, replyTo, question });
    if (!this.messages.some((m) => m.id === message.id)) this.messages = [...this.messages, message].slice(-KEEP);
  }

  heart(): void {
    void this.#client.request('heart', { showId: this.#showId }).catch(() => {});
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
  }
}
