import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

type Operand = SQLWrapper | number;

/**
 * The larger and the smaller of two values in SQL that SQLite and PostgreSQL both read:
 * SQLite's two-argument max() and min() are its own (PostgreSQL has greatest() and least()).
 */
export const larger = (a: Operand, b: Operand): SQL => sql`(case when ${a} >= ${b} then ${a} else ${b} end)`;
export const smaller = (a: Operand, b: Operand): SQL => sql`(case when ${a} <= ${b} then ${a} else ${b} end)`;

/**
 * Whether a text column holds `needle`, ignoring case, read alike by SQLite and PostgreSQL (whose LIKE
 * minds case): both sides lowered, LIKE's wildcards in the needle escaped so they match themselves.
 * SQLite's lower() folds ASCII letters only.
 */
export const containsIgnoringCase = (column: SQLWrapper, needle: string): SQL =>
  sql`lower(${column}) like ${`%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`;
