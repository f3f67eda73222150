import { errorStatus, type ErrorBody, type ErrorCode, type ErrorParams } from '#shared/errors.ts';

/**
 * A failure the user can be told about; anything else is reported as `internal`. `message` is the
 * English fallback; `params` let a client say it in the user's language.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly params: ErrorParams<C> | undefined;
  constructor(code: C, message: string, params?: ErrorParams<C>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus[code];
    this.params = params;
  }

  get body(): ErrorBody {
    const { code, message, params } = this;
    return { code, message, ...(params && { params: params as ErrorParams }), ...(params?.field !== undefined && { field: params.field }) };
  }
}

export type ConstraintKind = 'unique' | 'foreign_key' | 'check' | 'not_null' | 'encoding';

/** The code a statement failed with: better-sqlite3's own, or PostgreSQL's SQLSTATE, which comes inside drizzle's error as its cause. */
export function dbErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Which constraint a statement broke (better-sqlite3's `SQLITE_CONSTRAINT_*` codes, PostgreSQL's SQLSTATE), or null. */
export function brokenConstraint(err: unknown): ConstraintKind | null {
  // better-sqlite3 names the constraint in its code.
  switch (dbErrorCode(err)) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case '23505':
      return 'unique';
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
    case '23503':
      return 'foreign_key';
    case 'SQLITE_CONSTRAINT_CHECK':
    case '23514':
      return 'check';
    case 'SQLITE_CONSTRAINT_NOTNULL':
    case '23502':
      return 'not_null';
    // PostgreSQL's text and jsonb hold no NUL character (SQLite's do): a value sent in a request, written or looked up.
    case '22021':
    case '22P05':
      return 'encoding';
    default:
      return null;
  }
}

/**
 * A write the database refused is the client's mistake (a duplicate, a reference to something that
 * does not exist), not a server failure: domain code checks first, and this catches what slips past.
 */
const constraintErrors: Record<ConstraintKind, AppError> = {
  unique: new AppError('conflict', 'That already exists.'),
  foreign_key: new AppError('not_found', 'Something this refers to does not exist.'),
  check: new AppError('bad_request', 'A value is out of range.'),
  not_null: new AppError('bad_request', 'A required value is missing.'),
  encoding: new AppError('bad_request', 'A value holds a character that cannot be stored.')
};

/** The AppError a failure is reported as, or null for an unexpected (internal) one. */
export function asAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const constraint = brokenConstraint(err);
  return constraint ? constraintErrors[constraint] : null;
}

export function toErrorBody(err: unknown): ErrorBody {
  const known = asAppError(err);
  if (known) return known.body;
  return { code: 'internal', message: 'Something went wrong on the server.' };
}
