import type { Chat } from '../chat/chat.ts';
import type { Hearts } from '../chat/hearts.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { Handlers } from './connection.ts';

/** Chat and hearts over ws; anonymous viewers may tap hearts (limited per socket), not chat. */
export function chatHandlers(user: PublicUser | null, socketKey: string, chat: Chat, hearts: Hearts): Pick<Handlers, 'chatSend' | 'chatHistory' | 'heart'> {
  return {
    chatSend: ({ showId, text, replyTo }) => ({ message: chat.send(user, showId, text, replyTo) }),
    chatHistory: ({ showId }) => chat.state(showId),
    heart: ({ showId }) => {
      hearts.tap(showId, user?.id ?? socketKey);
      return {};
    }
  };
}
