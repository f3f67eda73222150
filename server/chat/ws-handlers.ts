import type { PublicUser } from '#shared/auth.ts';
import type { RequestHandlers } from '#shared/protocol.ts';
import type { Chat } from './chat.ts';
import type { Hearts } from './hearts.ts';

/** Chat and hearts over ws; anonymous viewers may tap hearts (limited per socket), not chat. */
export function chatHandlers(user: PublicUser | null, socketKey: string, chat: Chat, hearts: Hearts): Pick<RequestHandlers, 'chatSend' | 'chatHistory' | 'heart'> {
  return {
    chatSend: async ({ showId, text, replyTo, question }) => ({ message: await chat.send(user, showId, text, replyTo, question) }),
    chatHistory: async ({ showId }) => ({ ...(await chat.state(showId)), heartsTotal: await hearts.total(showId) }),
    heart: async ({ showId }) => {
      await hearts.tap(showId, user?.id ?? socketKey);
      return {};
    }
  };
}
