/** The JSON lines sphinx-stream.c writes, parsed: one interim or final hypothesis each. */
import { z } from 'zod';

const ms = z.number().int().min(0);

const sphinxWord = z.object({ word: z.string(), startMs: ms, endMs: ms });

const sphinxLine = z.object({
  utt: z.number().int().min(0),
  final: z.boolean(),
  text: z.string(),
  startMs: ms,
  endMs: ms,
  /** Finals only: the words with their times (fillers and pronunciation variants removed). */
  words: z.array(sphinxWord).optional()
});

export type SphinxLine = z.infer<typeof sphinxLine>;
export type SphinxWord = z.infer<typeof sphinxWord>;

/** One line of the program's output, or null for anything else (a stray log line, a torn write). */
export function parseSphinxLine(line: string): SphinxLine | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = sphinxLine.safeParse(json);
  return parsed.success ? parsed.data : null;
}
