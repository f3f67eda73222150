import { pino, type Logger } from 'pino';

const root = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime
});

/** A child logger per module; callers add context (show, peer) with `.child()`. */
export function logger(module: string): Logger {
  return root.child({ module });
}

export type { Logger };
