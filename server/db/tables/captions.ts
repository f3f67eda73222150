import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { requiredRef, timestamp, updatedAt } from '../columns.ts';
import { shows } from './shows.ts';

/** A show's caption settings, set by its host; a show without a row has captions off, in English. */
export const captionSettings = sqliteTable('caption_settings', {
  showId: requiredRef('show_id', () => shows.id, 'cascade').primaryKey(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  language: text('language').notNull(),
  updatedAt: updatedAt()
});

/** A final caption of a show's speech: the replay's transcript, searched by text. */
export const captionSegments = sqliteTable(
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
