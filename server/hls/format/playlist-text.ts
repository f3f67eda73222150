/** Formatting shared by the playlist renderers (RFC 8216bis §4.2 attribute lists). */

/** Decimal places kept in durations; finer than any frame duration we produce. */
const PLACES = 5;
const SCALE = 10 ** PLACES;

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** A decimal-floating-point value, rounded to the nearest 1e-5 and without trailing zeros. */
export function decimal(n: number): string {
  return trim((Math.round(n * SCALE) / SCALE).toFixed(PLACES));
}

/**
 * Rounded up instead: for limits (PART-TARGET) that printed durations, which are
 * rounded to nearest, must never exceed.
 */
export function decimalCeil(n: number): string {
  return trim((Math.ceil(n * SCALE - 1e-6) / SCALE).toFixed(PLACES));
}

/** A quoted-string attribute value, which may contain neither '"' nor line breaks. */
export function quoted(value: string): string {
  if (/["\r\n]/.test(value)) throw new Error(`value cannot be a quoted-string: ${JSON.stringify(value)}`);
  return `"${value}"`;
}

/** `NAME=value,...` from pairs, skipping undefined values; values are written as given. */
export function attributes(pairs: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  return pairs
    .filter((p): p is readonly [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A URI on its own line; a line break inside it would inject playlist lines. */
export function uriLine(uri: string): string {
  if (uri === '' || /[\r\n]/.test(uri)) throw new Error(`bad URI line: ${JSON.stringify(uri)}`);
  return uri;
}
