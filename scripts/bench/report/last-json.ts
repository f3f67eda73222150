/** The JSON object a benchmark printed as its last line, or null when its last line is not one. */
export function lastJsonObject(stdout: string): Record<string, unknown> | null {
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  try {
    const parsed: unknown = JSON.parse(last);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
