// Chat word filter for English, Korean and Chinese, plus a per-show blocklist.
// English uses obscenity's dataset (it knows English evasions and innocent
// words like "assessment"); Korean and Chinese use the curated lists in terms/.
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { normalize, skeleton } from './normalize.ts';
import { TermMatcher } from './term-matcher.ts';
import { EN_ALLOW } from './terms/en.ts';
import { KO_ALLOW, KO_TERMS } from './terms/ko.ts';
import { ZH_ALLOW, ZH_TERMS } from './terms/zh.ts';

export type FilterLang = 'en' | 'ko' | 'zh' | 'custom';
export interface FilterMatch {
  term: string;
  lang: FilterLang;
}
export type FilterResult = { ok: true } | { ok: false; matches: FilterMatch[] };

export interface WordFilterOptions {
  /**
   * A show's own blocked words, e.g. a competitor's name; matched through skeleton().
   * Terms that reduce to fewer than two characters are ignored.
   */
  extraTerms?: readonly string[];
}

interface BuiltInLayers {
  english: RegExpMatcher;
  korean: TermMatcher;
  chinese: TermMatcher;
}

// Compiling obscenity's ~120 patterns is the costly part, so the built-in
// layers are compiled once and shared by every WordFilter.
let builtIn: BuiltInLayers | undefined;
function builtInLayers(): BuiltInLayers {
  if (!builtIn) {
    const { blacklistedTerms, whitelistedTerms = [] } = englishDataset.build();
    builtIn = {
      english: new RegExpMatcher({
        blacklistedTerms,
        whitelistedTerms: [...whitelistedTerms, ...EN_ALLOW],
        ...englishRecommendedTransformers
      }),
      korean: new TermMatcher(KO_TERMS, { prepare: normalize, allow: KO_ALLOW }),
      chinese: new TermMatcher(ZH_TERMS, { prepare: normalize, allow: ZH_ALLOW })
    };
  }
  return builtIn;
}

const LETTER = /\p{L}/u;
const HANGUL_OR_HAN_RUN = /[\p{sc=Hangul}\p{sc=Han}]+/gu;

export class WordFilter {
  readonly #layers = builtInLayers();
  readonly #custom: TermMatcher | null;

  constructor({ extraTerms = [] }: WordFilterOptions = {}) {
    const prepare = (term: string) => skeleton(normalize(term));
    // A term that reduces to one character ("!!!" → "i") would block ordinary words.
    const terms = extraTerms.map((t) => t.trim()).filter((t) => [...prepare(t).replaceAll(' ', '')].length >= 2);
    // Loose spacing: a block on "ShopMart" also catches "shop mart".
    this.#custom = terms.length > 0 ? new TermMatcher(terms, { prepare, looseSpacing: true }) : null;
  }

  check(text: string): FilterResult {
    const normalized = normalize(text);
    const matches: FilterMatch[] = [
      ...this.#english(normalized).map((term) => ({ term, lang: 'en' as const })),
      ...this.#layers.korean.find(normalized).map((term) => ({ term, lang: 'ko' as const })),
      ...this.#layers.chinese.find(normalized).map((term) => ({ term, lang: 'zh' as const })),
      ...(this.#custom?.find(skeleton(normalized)) ?? []).map((term) => ({ term, lang: 'custom' as const }))
    ];
    return matches.length === 0 ? { ok: true } : { ok: false, matches };
  }

  #english(normalized: string): string[] {
    // obscenity walks the text character by character; Hangul and Han runs cannot
    // be part of an English word, so they shrink to a space first.
    const text = normalized.replace(HANGUL_OR_HAN_RUN, ' ');
    const found = new Set<string>();
    for (const match of this.#layers.english.getAllMatches(text)) {
      // obscenity reads digits as letters; a bare number such as a price of 455 is not "ass".
      if (!LETTER.test(text.slice(match.startIndex, match.endIndex + 1))) continue;
      const word = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord;
      if (word) found.add(word);
    }
    return [...found];
  }
}

let shared: WordFilter | undefined;
/** The filter without a custom list, built on first use and reused. */
export function defaultWordFilter(): WordFilter {
  return (shared ??= new WordFilter());
}
