import { defineConfig } from 'drizzle-kit';

// The PostgreSQL twin of drizzle.config.ts, for cluster mode; generating its migrations needs no database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/pg/schema.ts',
  out: './server/db/pg/migrations'
});
