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
 * minds case): both sides lowered by the database's own lower(), so they fold alike (SQLite's folds
 * ASCII letters only, PostgreSQL's all), and LIKE's wildcards in the needle escaped so they match themselves.
 */
export const containsIgnoringCase = (column: SQLWrapper, needle: string): SQL =>
  sql`lower(${column}) like lower(${`%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}) escape '\\'`;
