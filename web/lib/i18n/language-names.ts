/** Names languages by code in the reader's language ("Korean", "한국어", "韩语"), falling back to the code. */
export function languageNamer(locale: string): (code: string) => string {
  const names = new Intl.DisplayNames([locale], { type: 'language' });
  return (code) => names.of(code) ?? code;
}
