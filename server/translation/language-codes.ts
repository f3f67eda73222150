/**
 * Apertium names languages by ISO 639-3 ("eng", "spa"); Hawker and LibreTranslate use ISO 639-1 ("en",
 * "es") where one exists. The languages of Apertium's released pairs; any other code stays as it is.
 */
const ISO_639_1: Record<string, string> = {
  afr: 'af', ara: 'ar', arg: 'an', bel: 'be', bre: 'br', bul: 'bg', cat: 'ca', ces: 'cs', cym: 'cy', dan: 'da',
  deu: 'de', ell: 'el', eng: 'en', epo: 'eo', eus: 'eu', fin: 'fi', fra: 'fr', gla: 'gd', gle: 'ga', glg: 'gl',
  hin: 'hi', hrv: 'hr', hun: 'hu', ind: 'id', isl: 'is', ita: 'it', jpn: 'ja', kaz: 'kk', kor: 'ko', lav: 'lv',
  lit: 'lt', mkd: 'mk', mlt: 'mt', msa: 'ms', nld: 'nl', nno: 'nn', nob: 'nb', nor: 'no', oci: 'oc', pol: 'pl',
  por: 'pt', ron: 'ro', rus: 'ru', slk: 'sk', slv: 'sl', spa: 'es', sqi: 'sq', srp: 'sr', swe: 'sv', tat: 'tt',
  tur: 'tr', ukr: 'uk', urd: 'ur', zho: 'zh'
};

export function iso6391(code: string): string {
  return ISO_639_1[code] ?? code;
}
