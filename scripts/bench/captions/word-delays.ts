/**
 * When each word of the reference first reached the viewer: every caption the viewer got (interim or
 * final, in arrival order) is aligned word by word (Levenshtein) against the reference words spoken
 * around its time span, and each reference word it matches is marked with the caption's arrival,
 * unless an earlier caption showed it already. Words never captioned right stay null.
 */
import { normalizedWords } from '../../../server/captions/word-error-rate.ts';

export interface ReferenceWord {
  word: string;
  /** Epoch ms the word's end reached the server. */
  spokenAt: number;
}

export interface ShownCaption {
  text: string;
  /** The cue's span on the server's clock. */
  startAt: number;
  endAt: number;
  /** When the viewer got it. */
  at: number;
}

/** How far outside a cue's span its words may have been spoken (the engine's word boundaries are rough). */
const SPAN_SLACK_MS = 2000;

export function firstShown(reference: readonly ReferenceWord[], captions: readonly ShownCaption[]): (number | null)[] {
  const shown: (number | null)[] = reference.map(() => null);
  for (const c of [...captions].sort((a, b) => a.at - b.at)) {
    const candidates = reference.flatMap((w, i) => (w.spokenAt >= c.startAt - SPAN_SLACK_MS && w.spokenAt <= c.endAt + SPAN_SLACK_MS ? [i] : []));
    for (const [, r] of matchedPairs(normalizedWords(c.text), candidates.map((i) => reference[i]!.word))) shown[candidates[r]!] ??= c.at;
  }
  return shown;
}

/**
 * Index pairs (hypothesis, reference) of equal words where the hypothesis fits best inside the
 * reference: reference words before and after it cost nothing (a caption is part of what was said).
 */
export function matchedPairs(hyp: readonly string[], ref: readonly string[]): [number, number][] {
  const d = Array.from({ length: hyp.length + 1 }, (_, i) => Array.from({ length: ref.length + 1 }, () => i));
  for (let i = 1; i <= hyp.length; i++) {
    for (let j = 1; j <= ref.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j - 1]! + (hyp[i - 1] === ref[j - 1] ? 0 : 1), d[i - 1]![j]! + 1, d[i]![j - 1]! + 1);
    }
  }
  const last = d[hyp.length]!;
  let j = last.indexOf(Math.min(...last));
  const pairs: [number, number][] = [];
  for (let i = hyp.length; i > 0 && j > 0; ) {
    if (hyp[i - 1] === ref[j - 1] && d[i]![j] === d[i - 1]![j - 1]) {
      pairs.unshift([i - 1, j - 1]);
      i--;
      j--;
    } else if (d[i]![j] === d[i - 1]![j - 1]! + 1) {
      i--;
      j--;
    } else if (d[i]![j] === d[i - 1]![j]! + 1) i--;
    else j--;
  }
  return pairs;
}
