/**
 * The Captions domain: each show's caption settings (its host's choice), the cues its speech becomes
 * and the transcript its replay keeps. Interim cues are passed on as they come and never stored; a
 * final cue is stored, then passed on. Listeners (room updates, the LL-HLS subtitles) hear `cue`.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import { containsIgnoringCase } from '../db/portable-sql.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { addressBucket } from '../limits/rate-limit.ts';
import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import type { Shows } from '../shows/shows.ts';
import type { PublicUser } from '#shared/auth.ts';
import {
  DEFAULT_CAPTION_LANGUAGE,
  MAX_TRANSCRIPT_CUES,
  type CaptionCue,
  type CaptionProvider,
  type CaptionSettings,
  type CaptionSettingsDto,
  type TranscriptDto,
  type UpdateCaptionSettingsInput
} from '#shared/captions.ts';

export interface CaptionsEvents extends Record<string, unknown[]> {
  /** An interim cue as it comes; a final one once it is stored. */
  cue: [showId: string, cue: CaptionCue];
  /** The show's settings changed (after the commit). */
  settings: [showId: string, settings: CaptionSettings];
}

/** What the configured speech engine offers: its name and the languages it transcribes. */
export interface SpeechOffer {
  readonly name: CaptionProvider;
  languages(): readonly string[];
}

/**
 * Where moments of a show fall in its replay (ms into it), read from its recording; null when this
 * node has no recording of the show.
 */
export type ReplayClocks = (showId: string) => Promise<((at: number) => number) | null>;

/** Longest cue text kept; an engine gone astray on noise should not fill the database. */
export const MAX_CUE_TEXT = 1000;

/** Settings changes per account and minute: each restarts the show's recognition. */
const CHANGES_PER_MINUTE = 20;
/** Transcript reads per address and per account and minute: a replay's search box, typed with a pause, asks far fewer. */
const TRANSCRIPTS_PER_MINUTE = 120;

/** Who reads a transcript: counted per account (when signed in) and per address. */
export interface TranscriptReader {
  userId: string | null;
  address: string;
}

const DEFAULT_SETTINGS: CaptionSettings = { enabled: false, language: DEFAULT_CAPTION_LANGUAGE };

export class Captions extends TypedEmitter<CaptionsEvents> {
  readonly #repo: Repo;
  readonly #shows: Shows;
  readonly #offer: SpeechOffer | null;
  readonly #changes: SharedLimit;
  readonly #reads: SharedLimit;
  readonly #accountReads: SharedLimit;
  readonly #replayClock: ReplayClocks;

  constructor(opts: { repo: Repo; shows: Shows; offer: SpeechOffer | null; limits: LimitStore; replayClock?: ReplayClocks }) {
    super();
    this.#repo = opts.repo;
    this.#shows = opts.shows;
    this.#offer = opts.offer;
    this.#replayClock = opts.replayClock ?? (async () => null);
    this.#changes = opts.limits.limit({ name: 'caption-settings', limit: CHANGES_PER_MINUTE, windowSeconds: 60 });
    this.#reads = opts.limits.limit({ name: 'caption-transcripts', limit: TRANSCRIPTS_PER_MINUTE, windowSeconds: 60 });
    this.#accountReads = opts.limits.limit({ name: 'caption-transcripts-account', limit: TRANSCRIPTS_PER_MINUTE, windowSeconds: 60 });
  }

  /** Whether the configured engine transcribes `language`. */
  offers(language: string): boolean {
    return this.#offer?.languages().includes(language) ?? false;
  }

  /** The show's settings; off in English until its host says otherwise. */
  async settings(showId: string): Promise<CaptionSettings> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(
      db.select({ enabled: t.captionSettings.enabled, language: t.captionSettings.language }).from(t.captionSettings).where(eq(t.captionSettings.showId, showId))
    );
    return row ?? DEFAULT_SETTINGS;
  }

  /** The settings of several shows in one read, for a node checking the shows it holds. */
  async settingsOf(showIds: readonly string[]): Promise<Map<string, CaptionSettings>> {
    const { db, t } = this.#repo;
    const s = t.captionSettings;
    const rows = showIds.length === 0 ? [] : await this.#repo.all(db.select({ showId: s.showId, enabled: s.enabled, language: s.language }).from(s).where(inArray(s.showId, [...showIds])));
    const found = new Map(rows.map(({ showId, ...settings }) => [showId, settings]));
    return new Map(showIds.map((id) => [id, found.get(id) ?? DEFAULT_SETTINGS]));
  }

  /** The settings with what this server offers, for anyone who may see the show. */
  async describe(showId: string): Promise<CaptionSettingsDto> {
    await this.#shows.get(showId);
    return this.#dto(await this.settings(showId));
  }

  /**
   * The host (or an admin) turns captions on or off or names the language spoken in the show. Any
   * language may be named (chat translation starts from it, engine or not); captions turn on only in
   * one the engine transcribes.
   */
  async update(actor: PublicUser, showId: string, input: UpdateCaptionSettingsInput): Promise<CaptionSettingsDto> {
    const show = await this.#shows.assertCanRun(actor, showId);
    if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.', { reason: 'show_ended' });
    if (!(await this.#changes.take(actor.id))) throw new AppError('rate_limited', 'Too many caption changes. Wait a minute and try again.');
    const c = this.#repo.t.captionSettings;
    const updatedAt = Date.now();
    // Only the fields given are written, so two changes at once (one switching, one naming the language)
    // both land; the merged row is checked inside the transaction, which a refusal rolls back.
    const settings = await this.#repo.tx(async () => {
      const row = await this.#repo.one(
        this.#repo.db
          .insert(c)
          .values({ showId, ...DEFAULT_SETTINGS, ...input, updatedAt })
          .onConflictDoUpdate({ target: c.showId, set: { ...input, updatedAt } })
          .returning({ enabled: c.enabled, language: c.language })
      );
      const merged = row!; // an upsert returns its row
      // Checked when turned on and when named while on: the engine may have changed since the language was chosen.
      if (merged.enabled && !this.offers(merged.language)) throw this.#notOffered(merged.language);
      return merged;
    });
    this.emit('settings', showId, settings);
    return this.#dto(settings);
  }

  #notOffered(language: string): AppError {
    const offer = this.#offer;
    const message = !offer
      ? 'This server has no speech engine configured, so it cannot caption shows; the spoken language is kept for chat translation.'
      : `The ${offer.name} engine does not caption "${language}"; it takes ${offer.languages().join(', ')}.` +
        (offer.name === 'pocketsphinx' ? ' Korean, Chinese and other languages need the endpoint provider (CAPTIONS_PROVIDER=openai).' : '');
    return new AppError('bad_request', message, { reason: 'caption_language', field: 'language' });
  }

  /** An utterance's text so far: passed on to viewers, not kept. */
  interim(cue: CaptionCue): void {
    const text = clip(cue.text);
    if (text) this.emit('cue', cue.showId, { ...cue, text, final: false });
  }

  /**
   * An utterance's last text: stored for the replay, then passed on. A repeat of a stored one changes
   * nothing. An empty one (the interim text was noise) is passed on unstored, so viewers clear it.
   */
  async final(cue: CaptionCue): Promise<void> {
    const text = clip(cue.text);
    if (!text) {
      this.emit('cue', cue.showId, { ...cue, text: '', final: true });
      return;
    }
    const { db, t } = this.#repo;
    const stored = await this.#repo.changes(
      db
        .insert(t.captionSegments)
        .values({ id: cue.id, showId: cue.showId, language: cue.language, text, startAt: cue.startAt, endAt: cue.endAt })
        .onConflictDoNothing()
    );
    if (stored > 0) this.emit('cue', cue.showId, { ...cue, text, final: true });
  }

  /**
   * The show's final cues in order, those containing `query` (any case) when one is given; at most
   * MAX_TRANSCRIPT_CUES. Offsets are where each cue falls in the replay, by the recording; without one
   * here, they count from the moment the show went live.
   */
  async transcript(showId: string, query: string | undefined, reader: TranscriptReader): Promise<TranscriptDto> {
    const ok = (!reader.userId || (await this.#accountReads.take(reader.userId))) && (await this.#reads.take(addressBucket(reader.address)));
    if (!ok) throw new AppError('rate_limited', 'Too many transcript searches. Wait a minute and try again.');
    const show = await this.#shows.get(showId);
    const { db, t } = this.#repo;
    const s = t.captionSegments;
    const rows = await this.#repo.all(
      db
        .select({ id: s.id, text: s.text, startAt: s.startAt, endAt: s.endAt })
        .from(s)
        .where(and(eq(s.showId, showId), query ? containsIgnoringCase(s.text, query) : undefined))
        .orderBy(asc(s.startAt), asc(s.id))
        .limit(MAX_TRANSCRIPT_CUES + 1)
    );
    const start = show.startedAt ?? rows[0]?.startAt ?? 0;
    const offset = (await this.#replayClock(showId)) ?? ((at: number) => Math.max(0, at - start));
    return {
      cues: rows.slice(0, MAX_TRANSCRIPT_CUES).map((r) => ({ ...r, offsetMs: Math.round(offset(r.startAt)) })),
      truncated: rows.length > MAX_TRANSCRIPT_CUES
    };
  }

  #dto(settings: CaptionSettings): CaptionSettingsDto {
    return { ...settings, provider: this.#offer?.name ?? null, languages: [...(this.#offer?.languages() ?? [])] };
  }
}

function clip(text: string): string {
  return text.trim().slice(0, MAX_CUE_TEXT);
}
