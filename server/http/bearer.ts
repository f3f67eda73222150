/** The credential of an `Authorization` header: the Bearer scheme (any case) and one token, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return m ? m[1]! : null;
}
