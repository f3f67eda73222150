import express from 'express';
import { banSchema, blocklistSchema, chatPinSchema, moderateSchema, moderationEventSchema, reportSchema, slowModeSchema, timeoutSchema } from '#shared/chat.ts';
import { requireUser } from '../http/auth-middleware.ts';
import type { Shows } from '../shows/shows.ts';
import { AppError } from '../errors.ts';
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
  r.delete('/chat/messages/:id', (req, res) => {
    chat.delete(res.locals.user, messageId(req.params.id), parseInput(moderateSchema, req.body ?? {}).reason);
    res.json({ ok: true });
  });
  r.post('/chat/messages/:id/report', (req, res) => {
    chat.report(res.locals.user, messageId(req.params.id), parseInput(reportSchema, req.body).reason);
    res.status(201).json({ ok: true });
  });
  r.post('/shows/:id/chat/timeouts', (req, res) => {
    const { userId, seconds, reason } = parseInput(timeoutSchema, req.body);
    moderation.timeout(res.locals.user, req.params.id, userId, seconds, reason);
    res.status(201).json({ ok: true });
  });
  r.post('/shows/:id/chat/bans', (req, res) => {
    const { userId, reason } = parseInput(banSchema, req.body);
    moderation.ban(res.locals.user, req.params.id, userId, reason);
    res.status(201).json({ ok: true });
  });
  r.delete('/shows/:id/chat/bans/:userId', (req, res) => {
    moderation.unban(res.locals.user, req.params.id, req.params.userId, parseInput(moderateSchema, req.body ?? {}).reason);
    res.json({ ok: true });
  });
  r.post('/shows/:id/chat/blocks', (req, res) => {
    const { userId, reason } = parseInput(banSchema, req.body);
    moderation.block(res.locals.user, req.params.id, userId, reason);
    res.status(201).json({ ok: true });
  });
  r.put('/shows/:id/chat/slow-mode', (req, res) => {
    chat.setSlowMode(res.locals.user, req.params.id, parseInput(slowModeSchema, req.body).seconds);
    res.json({ ok: true });
  });
  r.put('/shows/:id/chat/pin', (req, res) => {
    chat.pin(res.locals.user, req.params.id, parseInput(chatPinSchema, req.body ?? {}).messageId);
    res.json({ ok: true });
  });
  r.put('/shows/:id/chat/blocklist', (req, res) => {
    chat.setBlocklist(res.locals.user, req.params.id, parseInput(blocklistSchema, req.body).terms);
    res.json({ ok: true });
  });
  /** The host's browser flagged (or cleared) its own outgoing video; moderators see it in the log. */
  r.post('/shows/:id/moderation-events', (req, res) => {
    const show = deps.shows.assertCanRun(requireUser(res), req.params.id);
    const e = parseInput(moderationEventSchema, req.body);
    moderation.record({ showId: show.id, actorId: res.locals.user!.id, action: 'nsfw_frame', reason: `${e.action} at score ${e.score.toFixed(2)}` });
    res.status(201).json({ ok: true });
  });
  r.get('/shows/:id/moderation-log', (req, res) => {
    res.json({ entries: moderation.history(res.locals.user, req.params.id) });
  });
  return r;
}
