/**
 * Joins the transcripts of overlapping audio windows into utterances without doubling the words
 * heard twice. Each window's words are aligned against the words already taken (the longest run of
 * equal words where the previous window's tail meets this window's head, allowing a word cut at
 * either edge); the newer window's version of the overlap wins. A sentence end outside the overlap
 * that the next window may still revise, a silent window, or a long run of words ends an utterance.
 */

export interface Token {
  word: string;
  /** Lowercased for comparison. */
  key: string;
  /** What followed the word in its transcript: spaces, punctuation. */
  sep: string;
}

export interface MergedSegment {
  text: string;
  final: boolean;
  startMs: number;
  endMs: number;
}

export interface TranscribedWindow {
  text: string;
  startMs: number;
  endMs: number;
  /** How much of the window's start the previous window also covered. */
  overlapMs: number;
  /** Whether that overlap was silence (then no words of this window were heard before). */
  overlapSilent: boolean;
}

/** Scripts written without spaces between words. */
const UNSPACED = /^(zh|ja|th|lo|km|my|yue)\b/;
const SENTENCE_END = /[.!?。！？]/;
/** Words of the last utterances kept to align the next window against. */
const CONTEXT_WORDS = 16;
/** An utterance this long is cut even without a sentence end, so finals keep coming. */
const MAX_UTTERANCE_WORDS = 30;
/** Words cut at a window's edge that alignment may skip. */
const MAX_EDGE_WORDS = 2;

export function tokenize(text: string, language: string): Token[] {
  const tokens: Token[] = [];
  // Punctuation between words: up to the last space it follows the word before ("Italy, "), after it it
  // leads the next word ("$49", "“quoted").
  let between = '';
  for (const s of new Intl.Segmenter(language, { granularity: 'word' }).segment(text)) {
    if (!s.isWordLike) {
      between += s.segment;
      continue;
    }
    const space = between.search(/\s\S*$/);
    const lead = space >= 0 ? between.slice(space + 1) : tokens.length ? '' : between;
    if (tokens.length) tokens.at(-1)!.sep += space >= 0 ? between.slice(0, space + 1) : between;
    tokens.push({ word: lead + s.segment, key: s.segment.normalize('NFKC').toLowerCase(), sep: '' });
    between = '';
  }
  if (tokens.length) tokens.at(-1)!.sep += between;
  return tokens;
}

export function joinTokens(tokens: readonly Token[]): string {
  return tokens.map((t) => t.word + t.sep).join('').trim();
}

/**
 * Where `next` continues `prev`: keep prev[0, cut) and take next[skip, …). The longest run of equal
 * keys wins; ties go to fewer skipped words.
 */
export function align(prev: readonly string[], next: readonly string[]): { cut: number; skip: number; n: number } | null {
  let best: { n: number; cut: number; skip: number; shift: number } | null = null;
  for (let drop = 0; drop <= MAX_EDGE_WORDS; drop++) {
    for (let skip = 0; skip <= MAX_EDGE_WORDS; skip++) {
      const end = prev.length - drop;
      for (let n = Math.min(end, next.length - skip); n >= 1; n--) {
        // One word alone is too common to trust unless the windows meet right there (or one word off).
        if (n === 1 && drop + skip > 1) break;
        let equal = true;
        for (let k = 0; k < n && equal; k++) equal = prev[end - n + k] === next[skip + k];
        if (!equal) continue;
        if (!best || n > best.n || (n === best.n && drop + skip < best.shift)) best = { n, cut: end - n, skip, shift: drop + skip };
        break;
      }
    }
  }
  return best && { cut: best.cut, skip: best.skip, n: best.n };
}

export class TranscriptMerger {
  readonly #language: string;
  readonly #overlapMs: number;
  /** Words already final, for alignment only. */
  #context: Token[] = [];
  /** Words of the open utterance. */
  #current: Token[] = [];
  #startMs = 0;
  #endMs = 0;

  /** `overlapMs`: how much of each window's end the next window covers again. */
  constructor(language: string, overlapMs: number) {
    this.#language = language;
    this.#overlapMs = overlapMs;
  }

  /** One window's transcript in; the finals it completes and the open utterance's new interim text out. */
  push(w: TranscribedWindow): MergedSegment[] {
    const next = tokenize(w.text, this.#language);
    if (next.length === 0) return this.flush();
    const had = this.#current.length > 0;
    const seen = [...this.#context, ...this.#current];
    const fixed = this.#context.length;
    const windowMs = Math.max(1, w.endMs - w.startMs);
    const share = (ms: number) => Math.round((next.length * ms) / windowMs);
    const at = seen.length ? align(seen.map((t) => t.key), next.map((t) => t.key)) : null;
    // Unaligned: the overlap's words are guessed from its share of the window, unless it was silent.
    const { cut, skip } = at ?? { cut: seen.length, skip: w.overlapSilent || !seen.length ? 0 : share(w.overlapMs) };
    // Unaligned, the last word seen ended its window: it needs the space its transcript had no reason to write.
    const last = seen.at(-1);
    if (!at && last && this.#current.length && !UNSPACED.test(this.#language) && !/\s$/.test(last.sep)) this.#current.splice(-1, 1, { ...last, sep: `${last.sep} ` });
    // Words heard twice keep their first spelling (a window capitalises its first word) and take the
    // newer punctuation (a window ends its last word with a full stop).
    for (let k = 0; at && k < at.n; k++) next[skip + k] = { ...next[skip + k]!, word: seen[cut + k]!.word };
    this.#current = cut >= fixed ? [...this.#current.slice(0, cut - fixed), ...next.slice(skip)] : next.slice(skip + fixed - cut);
    if (!had) this.#startMs = at || w.overlapSilent ? w.startMs : w.startMs + w.overlapMs;
    this.#endMs = w.endMs;

    const out: MergedSegment[] = [];
    // The words in the audio the next window hears again may still change: never end an utterance among them.
    const settled = this.#current.length - share(this.#overlapMs);
    let end = -1;
    for (let k = settled - 1; k >= 0 && end < 0; k--) if (SENTENCE_END.test(this.#current[k]!.sep)) end = k + 1;
    if (end < 0 && this.#current.length > MAX_UTTERANCE_WORDS && settled > 0) end = settled;
    if (end > 0) {
      const rest = this.#current.length - end;
      const splitMs = Math.max(this.#startMs, w.endMs - Math.round((rest * windowMs) / next.length));
      out.push(this.#finish(this.#current.slice(0, end), splitMs));
      this.#current = this.#current.slice(end);
      this.#startMs = splitMs;
    }
    if (this.#current.length) out.push({ text: joinTokens(this.#current), final: false, startMs: this.#startMs, endMs: this.#endMs });
    return out;
  }

  /** Ends the open utterance; after a gap in the audio (`gap`), nothing before it is aligned against. */
  flush(gap = false): MergedSegment[] {
    const out = this.#current.length ? [this.#finish(this.#current, this.#endMs)] : [];
    this.#current = [];
    if (gap) this.#context = [];
    return out;
  }

  #finish(tokens: Token[], endMs: number): MergedSegment {
    this.#context = [...this.#context, ...tokens].slice(-CONTEXT_WORDS);
    return { text: joinTokens(tokens), final: true, startMs: this.#startMs, endMs };
  }
}
