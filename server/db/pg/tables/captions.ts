import { pgTable, text, boolean, index } from 'drizzle-orm/pg-core';
import { requiredRef, timestamp, updatedAt } from '../columns.ts';
import { shows } from './shows.ts';

/** A show's caption settings, set by its host; a show without a row has captions off, in English. */
export const captionSettings = pgTable('caption_settings', {
  showId: requiredRef('show_id', () => shows.id, 'cascade').primaryKey(),
  enabled: boolean('enabled').notNull(),
  language: text('language').notNull(),
  updatedAt: updatedAt()
});

/** A final caption of a show's speech: the replay's transcript, searched by text. */
export const captionSegments = pgTable(
  'caption_segments',
  {
    id: text('id').primaryKey(),
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    language: text('language').notNull(),
    text: text('text').notNull(),
    startAt: timestamp('start_at').notNull(),
    endAt: timestamp('end_at').notNull()
  },
  (t) => [index('caption_segments_show_idx').on(t.showId, t.startAt)]
);
