// Finds listed terms in text that was prepared (normalized) the same way as the
// terms. Allowlisted compounds are masked first, so 시발점 or 出口交易 never
// expose the 시발 / 口交 inside them.

export interface TermMatcherOptions {
  /** Puts a term into the form the text will be in (normalize, skeleton …). */
  prepare: (term: string) => string;
  /** Innocent compounds that contain a term; they hide it. */
  allow?: readonly string[];
  /**
   * Let a space appear between any two characters of a term, not only where the
   * term has one ("쿠 팡에서" for 쿠팡). Meant for specific names such as a
   * competitor's: a short common word would also match across word gaps.
   */
  looseSpacing?: boolean;
}

const MASK = '\u0000'; // normalize() strips control characters, so this never occurs in text
const LATIN_OR_DIGIT = /[a-z0-9]/;

export class TermMatcher {
  readonly #pattern: RegExp | null;
  readonly #allow: RegExp | null;
  /** Prepared term without spaces → term as listed. */
  readonly #listed = new Map<string, string>();

  constructor(terms: readonly string[], { prepare, allow = [], looseSpacing = false }: TermMatcherOptions) {
    const alternatives: string[] = [];
    for (const term of terms) {
      const prepared = prepare(term);
      const key = prepared.replaceAll(' ', '');
      if (key === '' || this.#listed.has(key)) continue;
      this.#listed.set(key, term);
      alternatives.push(termSource(looseSpacing ? [...key].join(' ') : prepared));
    }
    this.#pattern = union(alternatives);
    this.#allow = union(allow.map((a) => escape(prepare(a))).filter((a) => a !== ''));
  }

  /** Listed terms found in prepared text, each once. */
  find(prepared: string): string[] {
    if (!this.#pattern) return [];
    const text = this.#allow ? prepared.replace(this.#allow, (m) => MASK.repeat(m.length)) : prepared;
    const found = new Set<string>();
    for (const [match] of text.matchAll(this.#pattern)) {
      const term = this.#listed.get(match.replaceAll(' ', ''));
      if (term !== undefined) found.add(term);
    }
    return [...found];
  }
}

// Spaces are optional ("미친 새끼" also matches 미친새끼). A term that starts or ends
// with a Latin letter or digit must do so at a word edge: "傻b" is not in "傻bag".
function termSource(prepared: string): string {
  const body = [...prepared].map((c) => (c === ' ' ? ' ?' : escape(c))).join('');
  const start = LATIN_OR_DIGIT.test(prepared.charAt(0)) ? '(?<![a-z0-9])' : '';
  const end = LATIN_OR_DIGIT.test(prepared.charAt(prepared.length - 1)) ? '(?![a-z0-9])' : '';
  return start + body + end;
}

// Longest first, so a term is not cut short by a shorter one at the same position.
function union(sources: string[]): RegExp | null {
  if (sources.length === 0) return null;
  return new RegExp([...sources].sort((a, b) => b.length - a.length).join('|'), 'gu');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
