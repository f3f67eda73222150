/** How failed deliveries are tried again: exponential backoff with jitter, given up once a day has been spent. */
export interface RetrySchedule {
  /** The wait after the first failure; each further failure doubles it. */
  firstDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /** How long, counted in nominal waits, a delivery is tried before it is marked failed. */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { firstDelayMs: 30_000, maxDelayMs: 2 * 60 * 60_000, giveUpAfterMs: 24 * 60 * 60_000 };

/** The nominal wait after the `attempt`th failed attempt (1-based), before jitter. */
export function nominalDelay(attempt: number, s: RetrySchedule): number {
  return Math.min(s.maxDelayMs, s.firstDelayMs * 2 ** Math.min(attempt - 1, 40));
}

/**
 * The attempts a delivery gets: as many as fit nominal waits into `giveUpAfterMs`, plus the first. Counted from
 * attempts rather than a clock, so a replay, a restart or a server that was down for hours still gets them all.
 */
export function maxAttempts(s: RetrySchedule): number {
  let spent = 0;
  let attempts = 1;
  while (spent < s.giveUpAfterMs) spent += nominalDelay(attempts++, s);
  return attempts;
}

/** When to try again after the `attempt`th failure, or null when it was the last; waits vary by ±20 % so receivers back up in a spread. */
export function nextAttemptAt(attempt: number, now: number, s: RetrySchedule, random: () => number = Math.random): number | null {
  if (attempt >= maxAttempts(s)) return null;
  return now + Math.round(nominalDelay(attempt, s) * (0.8 + 0.4 * random()));
}
