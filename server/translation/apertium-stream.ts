/**
 * Plain text in and out of Apertium's stream format, for a pipeline run in null-flush mode (`-z`): each
 * text goes in escaped and closed by an empty superblank and a NUL, and its translation comes out closed
 * by a NUL, in order. One long-lived pipeline then translates text after text without restarting, where
 * `apertium` itself would start its dozen processes and load the dictionaries anew (about 0.5 s) per run.
 */

/** Characters the stream format reserves; the deformatter escapes them with a backslash. */
const RESERVED = /[\\[\]^$/<>@*#{}]/g;
/** NUL ends a text in null-flush mode; other control characters mean nothing to a translator. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * One text as the pipeline reads it. Line breaks become superblanks (format the translator passes
 * through untouched); the closing empty superblank makes the first stage flush the last word and
 * its punctuation before the NUL, which it would otherwise hold back waiting for more input.
 */
export function toStream(text: string): string {
  const escaped = text.replace(CONTROL, '').replace(RESERVED, (c) => `\\${c}`);
  return `${escaped.replace(/\r?\n/g, '[\n]')}[]\0`;
}

/**
 * A translation as the reader should see it: superblanks opened, escapes undone, the space a
 * dropped subject pronoun leaves at the start ("I have" → " Tengo") trimmed.
 */
export function fromStream(out: string): string {
  let text = '';
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (c === '\\' && i + 1 < out.length) text += out[++i];
    else if (c !== '[' && c !== ']') text += c;
  }
  return text.trim();
}

/**
 * Splits what a pipeline wrote so far into finished translations (each ended by a NUL) and the
 * unfinished rest, which waits for the next chunk.
 */
export function splitFlushed(buffered: string): { done: string[]; rest: string } {
  const parts = buffered.split('\0');
  return { done: parts.slice(0, -1), rest: parts.at(-1)! };
}
