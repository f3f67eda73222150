import express from 'express';
import { banSchema, blocklistSchema, chatPinSchema, moderateSchema, moderationEventSchema, reportSchema, slowModeSchema, timeoutSchema } from '#shared/chat.ts';
import { requireUser } from '../http/current-user.ts';
import type { Shows } from '../shows/shows.ts';
import { AppError } from '../errors.ts';
import { apiRoute } from '../http/api-route.ts';
import { parseInput } from '../http/validate.ts';
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
  apiRoute(r, 'DELETE /chat/messages/:id', async (req, res) => {
    await chat.delete(res.locals.user, messageId(req.params.id), parseInput(moderateSchema, req.body ?? {}).reason);
    return { ok: true };
  });
  apiRoute(r, 'POST /chat/messages/:id/report', async (req, res) => {
    await chat.report(res.locals.user, messageId(req.params.id), parseInput(reportSchema, req.body).reason);
    return { ok: true };
  }, { status: 201 });
  apiRoute(r, 'POST /shows/:id/chat/timeouts', async (req, res) => {
    const { userId, seconds, reason } = parseInput(timeoutSchema, req.body);
    await moderation.timeout(res.locals.user, req.params.id, userId, seconds, reason);
    return { ok: true };
  }, { status: 201 });
  apiRoute(r, 'POST /shows/:id/chat/bans', async (req, res) => {
    const { userId, reason } = parseInput(banSchema, req.body);
    await moderation.ban(res.locals.user, req.params.id, userId, reason);
    return { ok: true };
  }, { status: 201 });
  apiRoute(r, 'DELETE /shows/:id/chat/bans/:userId', async (req, res) => {
    await moderation.unban(res.locals.user, req.params.id, req.params.userId, parseInput(moderateSchema, req.body ?? {}).reason);
    return { ok: true };
  });
  apiRoute(r, 'POST /shows/:id/chat/blocks', async (req, res) => {
    const { userId, reason } = parseInput(banSchema, req.body);
    await moderation.block(res.locals.user, req.params.id, userId, reason);
    return { ok: true };
  }, { status: 201 });
  apiRoute(r, 'PUT /shows/:id/chat/slow-mode', async (req, res) => {
    await chat.setSlowMode(res.locals.user, req.params.id, parseInput(slowModeSchema, req.body).seconds);
    return { ok: true };
  });
  apiRoute(r, 'PUT /shows/:id/chat/pin', async (req, res) => {
    await chat.pin(res.locals.user, req.params.id, parseInput(chatPinSchema, req.body ?? {}).messageId);
    return { ok: true };
  });
  apiRoute(r, 'PUT /shows/:id/chat/blocklist', async (req, res) => {
    await chat.setBlocklist(res.locals.user, req.params.id, parseInput(blocklistSchema, req.body).terms);
    return { ok: true };
  });
  /** The host's browser flagged (or cleared) its own outgoing video; moderators see it in the log. */
  apiRoute(r, 'POST /shows/:id/moderation-events', async (req, res) => {
    const show = await deps.shows.assertCanRun(requireUser(res), req.params.id);
    const e = parseInput(moderationEventSchema, req.body);
    await moderation.record({ showId: show.id, actorId: res.locals.user!.id, action: 'nsfw_frame', reason: `${e.action} at score ${e.score.toFixed(2)}` });
    return { ok: true };
  }, { status: 201 });
  apiRoute(r, 'GET /shows/:id/moderation-log', async (req, res) => ({ entries: await moderation.history(res.locals.user, req.params.id) }));
  return r;
}
