// Text normalization for the chat word filter. Both the message and every
// listed term go through the same functions, so a term written plainly also
// matches its disguised spellings.
import { ZH_TRADITIONAL_TO_SIMPLIFIED } from './terms/zh.ts';

// Cyrillic/Greek/IPA letters that look like Latin ones ("аss" with a Cyrillic а).
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y',
  х: 'x', ь: 'b', ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', һ: 'h', ԛ: 'q', ԝ: 'w',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u',
  χ: 'x', ω: 'w', ı: 'i', ɑ: 'a', ɡ: 'g', ß: 'ss',
  // "fancy text" small capitals, which have no compatibility decomposition
  ᴀ: 'a', ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k',
  ʟ: 'l', ᴍ: 'm', ɴ: 'n', ᴏ: 'o', ᴘ: 'p', ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y', ᴢ: 'z'
};

// Digits and symbols standing in for letters. Only skeleton() applies them:
// obscenity does its own leetspeak, and "1" can be i or l, so l folds to i too.
const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', l: 'i', '!': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '8': 'b'
};

// Hangul letters in syllable order. NFKD turns compatibility jamo (ㅅ) into
// conjoining jamo (ᄉ) so that NFC can rebuild syllables typed letter by
// letter (ㅅㅣㅂㅏ → 시바); leftover conjoining jamo are mapped back here.
const CHOSEONG = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ'; // U+1100…
const JUNGSEONG = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ'; // U+1161…
const JONGSEONG = 'ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ'; // U+11A8…

const CHAR_MAP = new Map<string, string>([
  ...Object.entries(HOMOGLYPHS),
  ...alphabetFrom(0x1f150), // 🅐 negative circled
  ...alphabetFrom(0x1f170), // 🅰 negative squared
  ...alphabetFrom(0x1f1e6), // 🇦 regional indicators
  ...conjoiningToCompat(CHOSEONG, 0x1100),
  ...conjoiningToCompat(JUNGSEONG, 0x1161),
  ...conjoiningToCompat(JONGSEONG, 0x11a8),
  ['\u111a', 'ㅀ'], // the two compatibility jamo NFKD sends to archaic initials
  ['\u1121', 'ㅄ'],
  ...ZH_TRADITIONAL_TO_SIMPLIFIED
]);
const CHAR_MAP_RE = new RegExp(`[${[...CHAR_MAP.keys()].join('')}]`, 'gu');

// Combining marks (accents, strike-through, zalgo), format characters
// (zero-width space/joiner, BOM, soft hyphen, bidi marks), control characters,
// and blank-looking letters (Hangul fillers, braille blank).
const INVISIBLE_RE = /[\p{M}\p{Cf}\u0000-\u0008\u000E-\u001F\u007F-\u009F\u115F\u1160\u2800]/gu;

// A Hangul syllable without a final consonant, then a lone consonant that is
// not the start of another jamo sequence: 시바ㄹ → 시발.
const DANGLING_FINAL_RE = /([가-힣])([ㄱ-ㅎ])(?![ㄱ-ㅣ])/gu;

// "Letter-like": letters, digits and the symbols used as leetspeak letters.
const LL = '\\p{L}\\p{N}@$!';
// Punctuation and symbols inside a word ("f.u.c.k", "fu-ck", "씨~발"). Apostrophes stay: "who're".
const IN_WORD_JUNK_RE = new RegExp(`(?<=[${LL}])[^\\s${LL}'’]+(?=[${LL}])`, 'gu');
// Two or more one-character tokens apart ("f u c k", "씨 발", "ㅅ ㅂ"); longer words stay apart,
// so "pen is" or "아저씨 발" (uncle's foot) never join into a term.
// An apostrophe binds a token ("i'm a" stays as it is).
const SINGLE_CHAR_RUN_RE = new RegExp(`(?<![${LL}'’])[${LL}](?:[^${LL}'’]+[${LL}](?![${LL}'’]))+`, 'gu');
const NOT_LL_RE = new RegExp(`[^${LL}]+`, 'gu');
const HANGUL_RE = /\p{sc=Hangul}/u;
const HAN_RE = /\p{sc=Han}/u;
// Leetspeak symbols wedged between Hangul syllables ("씨@발").
const HANGUL_GAP_RE = /(?<=\p{sc=Hangul})[^\s\p{L}\p{N}]+(?=\p{sc=Hangul})/gu;
// Chinese is written without spaces, so any spacing or punctuation next to a Han
// character is noise ("傻 逼", "傻.逼", "傻 B").
const HAN_GAP_RE = /(?<=\p{sc=Han})[^\p{L}\p{N}]+(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])[^\p{L}\p{N}]+(?=\p{sc=Han})/gu;

const LEET_RE = new RegExp(`[${Object.keys(LEET).join('')}]`, 'gu');
const SKELETON_JUNK_RE = /[^\p{L}\p{N}\s]+/gu;
const REPEAT_RE = /([a-z])\1+/g;

/**
 * Canonical form of chat text for matching: compatibility-normalized (NFKC-like,
 * so full-width and styled letters become ASCII), marks and invisible characters
 * removed, lower-cased, look-alike letters mapped to Latin, Hangul rebuilt from
 * loose jamo, listed traditional Chinese characters simplified, and separators
 * inserted to split a word removed. Repeated letters and leetspeak are kept.
 */
export function normalize(text: string): string {
  let s = text
    .normalize('NFKD')
    .replace(INVISIBLE_RE, '')
    .toLowerCase()
    .normalize('NFC')
    .replace(CHAR_MAP_RE, (c) => CHAR_MAP.get(c) ?? c)
    .replace(IN_WORD_JUNK_RE, '')
    .replace(SINGLE_CHAR_RUN_RE, (run) => run.replace(NOT_LL_RE, ''));
  // These passes cost as much as all the others; most messages have only one script.
  if (HANGUL_RE.test(s)) s = s.replace(HANGUL_GAP_RE, '').replace(DANGLING_FINAL_RE, attachFinal);
  if (HAN_RE.test(s)) s = s.replace(HAN_GAP_RE, '');
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Coarser form of normalize() output for user-supplied terms: leetspeak decoded
 * (l and 1 both become i), leftover punctuation such as apostrophes turned into
 * spaces, repeated Latin letters collapsed ("$h0ppp-mart" → "shopmart").
 * Han and Hangul repeats are kept: 쿠쿠 is a brand, not a stretched 쿠.
 */
export function skeleton(normalized: string): string {
  return normalized
    .replace(LEET_RE, (c) => LEET[c] ?? c)
    .replace(SKELETON_JUNK_RE, ' ')
    .replace(REPEAT_RE, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function alphabetFrom(firstCodePoint: number): [string, string][] {
  return [...'abcdefghijklmnopqrstuvwxyz'].map((letter, i) => [String.fromCodePoint(firstCodePoint + i), letter]);
}

function conjoiningToCompat(compat: string, firstCodePoint: number): [string, string][] {
  return [...compat].map((jamo, i) => [String.fromCodePoint(firstCodePoint + i), jamo]);
}

function attachFinal(pair: string, syllable: string, consonant: string): string {
  const offset = syllable.charCodeAt(0) - 0xac00;
  const final = JONGSEONG.indexOf(consonant);
  if (offset % 28 !== 0 || final < 0) return pair;
  return String.fromCharCode(0xac00 + offset + final + 1);
}
