/**
 * Word error rate: (substitutions + deletions + insertions) / words in the reference, by
 * word-level Levenshtein distance. Both texts are normalised first: lowercased, punctuation
 * dropped (an apostrophe inside a word stays: "it's" is not "its"), split on white space.
 * Numbers are compared as written: "49" and "forty nine" differ.
 */

export function normalizedWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]+/gu, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

export interface WordErrors {
  /** Substitutions, deletions and insertions together. */
  errors: number;
  /** Words in the reference. */
  words: number;
  /** errors / words (0 when both are empty; 1 per word heard when the reference is empty). */
  rate: number;
}

export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normalizedWords(reference);
  const hyp = normalizedWords(hypothesis);
  // One row of the edit-distance table at a time: row[j] = distance(ref[0..i), hyp[0..j)).
  let row = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const next = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitute = row[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      next.push(Math.min(substitute, row[j]! + 1, next[j - 1]! + 1));
    }
    row = next;
  }
  const errors = row[hyp.length]!;
  return { errors, words: ref.length, rate: ref.length ? errors / ref.length : hyp.length };
}

export function wordErrorRate(reference: string, hypothesis: string): number {
  return wordErrors(reference, hypothesis).rate;
}
