import { Column, SQL, StringChunk, getTableName, is } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pg from './pg/schema.ts';
import * as sqlite from './schema.ts';

/** drizzle's SQLite column kinds, reduced to what the server reads from them, each matched below to the PostgreSQL types allowed for it. */
const SQLITE_FAMILIES: Record<string, string> = { SQLiteInteger: 'integer', SQLiteBoolean: 'boolean', SQLiteText: 'text', SQLiteTextJson: 'json', SQLiteBlobBuffer: 'bytes' };
// integer and bigint both read back as a JS number; which one a column needs is a question of range.
const PG_FAMILIES: Record<string, string> = { integer: 'integer', bigint: 'integer', boolean: 'boolean', text: 'text', jsonb: 'json', bytea: 'bytes' };

/** Columns holding milliseconds (since the epoch, or a duration): an int4 would overflow on the first timestamp. */
const MILLISECONDS = /^(at|until|pay_by)$|_(at|ms)$/;

const family = (table: Record<string, string>, type: string, where: string) => {
  const f = table[type];
  if (!f) throw new Error(`${where}: no type family for ${type}`);
  return f;
};

const columnName = (c: unknown) => {
  if (is(c, SQL) || typeof c !== 'object' || c === null || !('name' in c) || typeof c.name !== 'string') throw new Error('index on an expression: not compared');
  return c.name;
};

/** A check's condition with columns by name, so both dialects' SQL compare as text. */
const conditionText = (condition: SQL) => condition.queryChunks.map((c) => (is(c, Column) ? c.name : is(c, StringChunk) ? c.value.join('') : '?')).join('');

type Config = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;

/** What both dialects must agree on for one table, with each column's type reduced to its family. */
function shape(config: Config, familyOf: (column: Config['columns'][number]) => string) {
  return {
    columns: Object.fromEntries(
      config.columns.map((c) => [
        c.name,
        {
          family: familyOf(c),
          notNull: c.notNull,
          hasDefault: c.hasDefault,
          default: c.default,
          defaultFn: c.defaultFn !== undefined,
          enumValues: c.enumValues,
          isUnique: c.isUnique,
          autoId: ('autoIncrement' in c && c.autoIncrement === true) || c.generatedIdentity !== undefined
        }
      ])
    ),
    primaryKey: [...config.columns.filter((c) => c.primary).map((c) => c.name), ...config.primaryKeys.flatMap((k) => k.columns.map((c) => c.name))],
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const r = fk.reference();
        return `${r.columns.map((c) => c.name)} -> ${getTableName(r.foreignTable)}(${r.foreignColumns.map((c) => c.name)}) on delete ${fk.onDelete ?? 'no action'} on update ${fk.onUpdate ?? 'no action'}`;
      })
      .sort(),
    indexes: Object.fromEntries(config.indexes.map((i) => [i.config.name, { columns: i.config.columns.map(columnName), unique: i.config.unique }])),
    checks: Object.fromEntries(config.checks.map((c) => [c.name, conditionText(c.value)]))
  };
}

const sqliteTables = new Map(Object.values(sqlite).filter((t) => is(t, SQLiteTable)).map((t) => [getTableName(t), sqliteConfig(t)]));
const pgTables = new Map(Object.values(pg).filter((t) => is(t, PgTable)).map((t) => [getTableName(t), pgConfig(t)]));

describe('the PostgreSQL schema is the twin of the SQLite one', () => {
  it('has the same tables', () => {
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
  });

  it.each([...sqliteTables.keys()])('%s has the same columns, keys, indexes and checks', (name) => {
    const lite = sqliteTables.get(name)!;
    const twin = pgTables.get(name);
    expect(twin, `no PostgreSQL table ${name}`).toBeDefined();
    const expected = shape(lite, (c) => family(SQLITE_FAMILIES, c.columnType, `${name}.${c.name}`));
    expect(shape(twin!, (c) => family(PG_FAMILIES, c.getSQLType(), `${name}.${c.name}`))).toEqual(expected);
  });

  it('stores milliseconds as bigint', () => {
    const millis = [...pgTables.values()].flatMap((t) => t.columns.filter((c) => MILLISECONDS.test(c.name)).map((c) => `${t.name}.${c.name} ${c.getSQLType()}`));
    expect(millis.length).toBeGreaterThan(20);
    expect(millis.filter((c) => !c.endsWith(' bigint'))).toEqual([]);
  });
});
