import express from 'express';
import { banSchema, blocklistSchema, chatPinSchema, moderateSchema, moderationEventSchema, reportSchema, slowModeSchema, timeoutSchema } from '#shared/chat.ts';
import { requireUser } from '../http/current-user.ts';
import type { Shows } from '../shows/shows.ts';
import { AppError } from '../errors.ts';
import { apiRoute } from '../http/api-route.ts';
import type { Chat } from './chat.ts';
import type { ChatModeration } from './chat-moderation.ts';

function messageId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new AppError('bad_request', 'No such message.');
  return id;
}

/** Moderator tools and buyer reports. Every action is checked against the show and logged. */
export function chatRoutes(deps: { chat: Chat; moderation: ChatModeration; shows: Shows }): express.Router {
  const r = express.Router();
  const { chat, moderation } = deps;
  const tag = 'Chat moderation';
  apiRoute(r, 'DELETE /chat/messages/:id', async (req, res, input) => {
    await chat.delete(res.locals.user, messageId(req.params.id), input.body.reason);
    return { ok: true };
  }, { doc: { tag, who: 'moderator', summary: 'Delete a chat message', body: moderateSchema, optionalBody: true } });
  apiRoute(r, 'POST /chat/messages/:id/report', async (req, res, input) => {
    await chat.report(res.locals.user, messageId(req.params.id), input.body.reason);
    return { ok: true };
  }, { status: 201, doc: { tag, who: 'signed-in', summary: 'Report a chat message', description: 'Its show’s moderators see the report in the log.', body: reportSchema, errors: ['rate_limited'] } });
  apiRoute(r, 'POST /shows/:id/chat/timeouts', async (req, res, input) => {
    const { userId, seconds, reason } = input.body;
    await moderation.timeout(res.locals.user, req.params.id, userId, seconds, reason);
    return { ok: true };
  }, { status: 201, doc: { tag, who: 'moderator', summary: 'Time a viewer out of the chat', body: timeoutSchema } });
  apiRoute(r, 'POST /shows/:id/chat/bans', async (req, res, input) => {
    const { userId, reason } = input.body;
    await moderation.ban(res.locals.user, req.params.id, userId, reason);
    return { ok: true };
  }, { status: 201, doc: { tag, who: 'moderator', summary: "Ban an account from the host's shows", body: banSchema } });
  apiRoute(r, 'DELETE /shows/:id/chat/bans/:userId', async (req, res, input) => {
    await moderation.unban(res.locals.user, req.params.id, req.params.userId, input.body.reason);
    return { ok: true };
  }, { doc: { tag, who: 'moderator', summary: 'Lift a ban', body: moderateSchema, optionalBody: true } });
  apiRoute(r, 'POST /shows/:id/chat/blocks', async (req, res, input) => {
    const { userId, reason } = input.body;
    await moderation.block(res.locals.user, req.params.id, userId, reason);
    return { ok: true };
  }, { status: 201, doc: { tag, who: 'moderator', summary: 'Block an account from this show', body: banSchema } });
  apiRoute(r, 'PUT /shows/:id/chat/slow-mode', async (req, res, input) => {
    await chat.setSlowMode(res.locals.user, req.params.id, input.body.seconds);
    return { ok: true };
  }, { doc: { tag, who: 'moderator', summary: 'Set slow mode', description: 'Seconds between one viewer’s messages; 0 turns it off.', body: slowModeSchema } });
  apiRoute(r, 'PUT /shows/:id/chat/pin', async (req, res, input) => {
    await chat.pin(res.locals.user, req.params.id, input.body.messageId);
    return { ok: true };
  }, { doc: { tag, who: 'moderator', summary: 'Pin a chat message', description: 'Or unpin the pinned one with `messageId: null`.', body: chatPinSchema, optionalBody: true } });
  apiRoute(r, 'PUT /shows/:id/chat/blocklist', async (req, res, input) => {
    await chat.setBlocklist(res.locals.user, req.params.id, input.body.terms);
    return { ok: true };
  }, { doc: { tag, who: 'moderator', summary: "Set the show's blocked words", body: blocklistSchema } });
  /** The host's browser flagged (or cleared) its own outgoing video; moderators see it in the log. */
  apiRoute(r, 'POST /shows/:id/moderation-events', async (req, res, input) => {
    const show = await deps.shows.assertCanRun(requireUser(res), req.params.id);
    const e = input.body;
    await moderation.record({ showId: show.id, actorId: res.locals.user!.id, action: 'nsfw_frame', reason: `${e.action} at score ${e.score.toFixed(2)}` });
    return { ok: true };
  }, { status: 201, doc: { tag, who: 'show-host', summary: 'Record a video moderation event', description: 'The studio’s on-device check paused, blurred or resumed the broadcast.', body: moderationEventSchema } });
  apiRoute(r, 'GET /shows/:id/moderation-log', async (req, res) => ({ entries: await moderation.history(res.locals.user, req.params.id) }), {
    doc: { tag, who: 'moderator', summary: "The show's moderation log", description: 'Newest first.' }
  });
  return r;
}
