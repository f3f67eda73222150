/**
 * The Captions domain: each show's caption settings (its host's choice), the cues its speech becomes
 * and the transcript its replay keeps. Interim cues are passed on as they come and never stored; a
 * final cue is stored, then passed on. Listeners (room updates, the LL-HLS subtitles) hear `cue`.
 */
import { and, asc, eq } from 'drizzle-orm';
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

/** Longest cue text kept; an engine gone astray on noise should not fill the database. */
export const MAX_CUE_TEXT = 1000;

/** Settings changes per account and minute: each restarts the show's recognition. */
const CHANGES_PER_MINUTE = 20;
/** Transcript reads per address and minute: a replay's search box, typed with a pause, asks far fewer. */
const TRANSCRIPTS_PER_MINUTE = 120;

const DEFAULT_SETTINGS: CaptionSettings = { enabled: false, language: DEFAULT_CAPTION_LANGUAGE };

export class Captions extends TypedEmitter<CaptionsEvents> {
  readonly #repo: Repo;
  readonly #shows: Shows;
  readonly #offer: SpeechOffer | null;
  readonly #changes: SharedLimit;
  readonly #reads: SharedLimit;

  constructor(opts: { repo: Repo; shows: Shows; offer: SpeechOffer | null; limits: LimitStore }) {
    super();
    this.#repo = opts.repo;
    this.#shows = opts.shows;
    this.#offer = opts.offer;
    this.#changes = opts.limits.limit({ name: 'caption-settings', limit: CHANGES_PER_MINUTE, windowSeconds: 60 });
    this.#reads = opts.limits.limit({ name: 'caption-transcripts', limit: TRANSCRIPTS_PER_MINUTE, windowSeconds: 60 });
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

  /** The settings with what this server offers, for anyone who may see the show. */
  async describe(showId: string): Promise<CaptionSettingsDto> {
    await this.#shows.get(showId);
    return this.#dto(await this.settings(showId));
  }

  /** The host (or an admin) turns captions on or off or names the spoken language, one the engine offers. */
  async update(actor: PublicUser, showId: string, input: UpdateCaptionSettingsInput): Promise<CaptionSettingsDto> {
    const show = await this.#shows.assertCanRun(actor, showId);
    if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.', { reason: 'show_ended' });
    if (!this.#offer) throw new AppError('invalid_state', 'This server has no speech engine configured, so it cannot caption shows.');
    if (!(await this.#changes.take(actor.id))) throw new AppError('rate_limited', 'Too many caption changes. Wait a minute and try again.');
    const next = { ...(await this.settings(showId)), ...input };
    // Checked when named and when turned on: the engine may have changed since the language was chosen.
    if ((input.language !== undefined || next.enabled) && !this.offers(next.language)) {
      throw new AppError(
        'bad_request',
        `The ${this.#offer.name} engine does not caption "${next.language}"; it takes ${this.#offer.languages().join(', ')}.` +
          (this.#offer.name === 'pocketsphinx' ? ' Korean, Chinese and other languages need the endpoint provider (CAPTIONS_PROVIDER=openai).' : ''),
        { reason: 'caption_language', field: 'language' }
      );
    }
    const { db, t } = this.#repo;
    const values = { enabled: next.enabled, language: next.language, updatedAt: Date.now() };
    await this.#repo.changes(db.insert(t.captionSettings).values({ showId, ...values }).onConflictDoUpdate({ target: t.captionSettings.showId, set: values }));
    const settings = { enabled: next.enabled, language: next.language };
    this.emit('settings', showId, settings);
    return this.#dto(settings);
  }

  /** An utterance's text so far: passed on to viewers, not kept. */
  interim(cue: CaptionCue): void {
    const text = clip(cue.text);
    if (text) this.emit('cue', cue.showId, { ...cue, text, final: false });
  }

  /** An utterance's last text: stored for the replay, then passed on. A repeat of a stored one changes nothing. */
  async final(cue: CaptionCue): Promise<void> {
    const text = clip(cue.text);
    if (!text) return;
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
   * MAX_TRANSCRIPT_CUES. Offsets count from the moment the show went live, where its replay starts.
   */
  async transcript(showId: string, query: string | undefined, address: string): Promise<TranscriptDto> {
    if (!(await this.#reads.take(addressBucket(address)))) throw new AppError('rate_limited', 'Too many transcript searches. Wait a minute and try again.');
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
    return {
      cues: rows.slice(0, MAX_TRANSCRIPT_CUES).map((r) => ({ ...r, offsetMs: Math.max(0, r.startAt - start) })),
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
