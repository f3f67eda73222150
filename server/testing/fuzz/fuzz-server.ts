import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startApp, type RunningApp } from '../../app.ts';
import { SESSION_COOKIE } from '../../auth/session-cookie.ts';
import type { PublicUser } from '#shared/auth.ts';
import { testConfig } from '../test-config.ts';
import { RunExecutor } from './executor.ts';
import { checkHearts, checkNoGhosts, checkRooms, checkStock, checkUnknownShows, checkViewerCounts } from './invariants.ts';
import type { Run } from './steps.ts';
import { createAccounts, createWorld, type ActorName } from './world.ts';

let nextServer = 0;

/**
 * A real server to fuzz (its own database file, read directly by the invariants, and a real
 * mediasoup worker), with the accounts of every role and a live show no fuzzed request
 * knows, where hearts are checked. Anything the process throws while it runs is a crash.
 */
export class FuzzServer {
  readonly app: RunningApp;
  readonly db: Database.Database;
  readonly crashes: string[] = [];
  /** Outcomes of every request played on this server, by kind (see RunExecutor.outcomes). */
  readonly outcomes = new Map<string, number>();
  #runs = 0;
  readonly #users: Map<ActorName, PublicUser>;
  readonly #heartsShowId: string;
  readonly #dbPath: string;
  readonly #onCrash = (err: unknown) => this.crashes.push(err instanceof Error ? (err.stack ?? err.message) : String(err));

  private constructor(app: RunningApp, dbPath: string, users: Map<ActorName, PublicUser>, heartsShowId: string) {
    this.app = app;
    this.#dbPath = dbPath;
    this.db = new Database(dbPath, { readonly: true, fileMustExist: true });
    this.#users = users;
    this.#heartsShowId = heartsShowId;
    process.on('uncaughtException', this.#onCrash);
    process.on('unhandledRejection', this.#onCrash);
  }

  static async start(): Promise<FuzzServer> {
    const dbPath = path.join(os.tmpdir(), `hawker-fuzz-${process.pid}-${nextServer++}.db`);
    const app = await startApp(testConfig({ DATABASE_PATH: dbPath, HLS_ENABLED: 'false' }), { webHandler: false });
    return new FuzzServer(app, dbPath, await createAccounts(app), await liveShowOutsideTheFuzz(app));
  }

  /** Plays one run in a fresh world and returns every invariant it broke. */
  async play(run: Run): Promise<string[]> {
    const world = await createWorld(this.app, this.#users, this.#runs++);
    const executor = new RunExecutor(this.app, world);
    const violations: string[] = [];
    try {
      await executor.execute(run);
      const rooms = await checkRooms(this.app, executor);
      // The hearts check's viewer is in a room no run socket knows, so both waits can overlap.
      const [counts, hearts] = await Promise.all([checkViewerCounts(executor, rooms.viewers), checkHearts(this.app, this.#heartsShowId)]);
      executor.close();
      violations.push(...rooms.violations, ...counts, ...hearts, ...(await checkNoGhosts(this.app)));
      violations.push(...executor.violations, ...checkStock(this.db, world, executor.fulfilled), ...checkUnknownShows(this.db, this.app));
    } finally {
      executor.close();
      for (const [k, n] of executor.outcomes) this.outcomes.set(k, (this.outcomes.get(k) ?? 0) + n);
    }
    violations.push(...this.crashes.splice(0).map((c) => `uncaught: ${c}`));
    return [...new Set(violations)];
  }

  /** Closes the server; returns what broke while closing. */
  async close(): Promise<string[]> {
    this.db.close();
    await this.app.close().catch((err: unknown) => this.#onCrash(err));
    process.off('uncaughtException', this.#onCrash);
    process.off('unhandledRejection', this.#onCrash);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(this.#dbPath + suffix, { force: true });
    return this.crashes.splice(0).map((c) => `on close: ${c}`);
  }
}

/** A live show no fuzzed request knows the id of, for checking that hearts still flow. */
async function liveShowOutsideTheFuzz(app: RunningApp): Promise<string> {
  const admin = (await app.accounts.findByEmail('admin@hawker.local'))!;
  const headers = { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${(await app.sessions.create(admin.id)).token}` };
  const created = await fetch(`${app.url}/api/shows`, { method: 'POST', headers, body: JSON.stringify({ title: 'Hearts check', scheduledAt: Date.now() }) });
  const { show } = (await created.json()) as { show: { id: string } };
  await fetch(`${app.url}/api/shows/${show.id}/live`, { method: 'POST', headers, body: '{}' });
  return show.id;
}
