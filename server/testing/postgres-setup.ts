import type { TestProject } from 'vitest/node';
import { startScratchPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's scratch PostgreSQL server, on which testConfig() creates a database per app. */
    testPostgresUrl: string;
  }
}

/** Vitest's global setup under HAWKER_TEST_DATABASE=postgres: one scratch PostgreSQL server for the whole run. */
export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startScratchPostgres();
  project.provide('testPostgresUrl', server.url);
  return () => server.stop();
}
