import type { ShowStatus } from './shows.ts';

/** A show's numbers as its host sees them. */
export interface StatsNow {
  viewers: number;
  peakViewers: number;
  views: number;
  hearts: number;
  messages: number;
  messagesPerMinute: number;
  bids: number;
  orders: number;
  buyers: number;
  revenue: number;
  /** Distinct buyers over views, 0–1. */
  conversion: number;
}

export interface StatsMinute {
  minute: number;
  viewers: number;
  hearts: number;
  messages: number;
  bids: number;
  orders: number;
  revenue: number;
}

/** The stats page's reply: the show's status, its numbers now and per minute. */
export interface ShowStatsDto {
  status: ShowStatus;
  now: StatsNow;
  minutes: StatsMinute[];
}
