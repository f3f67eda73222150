import type { z } from 'zod';
import { AppError } from '../errors.ts';

/** Parses untrusted input or throws a 400 naming the first problem and the field it concerns. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : undefined;
  throw new AppError('bad_request', `${field ? `${field}: ` : ''}${issue?.message ?? 'Invalid input.'}`, { reason: 'invalid_input', ...(field && { field }) });
}
