import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house rules that keep the layout simple, checked on every source file:
 * lower floors never import higher ones, domains reach rooms only through
 * realtime/room-updates, and no file grows past 400 lines.
 */
const root = path.resolve(import.meta.dirname, '..');
const DOMAINS = ['auth', 'shows', 'auctions', 'commerce', 'overlay', 'chat', 'moderation', 'stats'];
const MAX_LINES = 400;

interface SourceFile {
  file: string;
  lines: number;
  imports: string[];
}

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(rel);
    return /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Our own imports of a file, as paths from the repository root (packages are left out). */
function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
  return specifiers.flatMap((s) => {
    if (s.startsWith('.')) return [path.normalize(path.join(path.dirname(file), s))];
    if (s.startsWith('#shared/') || s.startsWith('$shared/')) return [path.join('shared', s.slice(8))];
    if (s.startsWith('$lib/')) return [path.join('web/lib', s.slice(5))];
    return [];
  });
}

const sources: SourceFile[] = ['server', 'shared', 'web'].flatMap(walk).map((file) => {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return { file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), imports: importsOf(file, text) };
});
const production = sources.filter((s) => !/\.test\.ts$/.test(s.file) && !s.file.startsWith('server/testing/') && !s.file.startsWith('web/lib/testing/'));

const inside = (file: string, ...dirs: string[]) => dirs.some((d) => file === d || file.startsWith(`${d}/`));
const domainDirs = DOMAINS.map((d) => `server/${d}`);

/** Every import in `from` that lands in one of `to`, as "file -> import". */
function crossings(from: (file: string) => boolean, to: string[]): string[] {
  return production.filter((s) => from(s.file)).flatMap((s) => s.imports.filter((i) => inside(i, ...to)).map((i) => `${s.file} -> ${i}`));
}

describe('the layout', () => {
  it('finds the source files it checks', () => {
    expect(production.length).toBeGreaterThan(150);
    expect(production.some((s) => s.file === 'server/realtime/room-updates.ts')).toBe(true);
  });

  it('shared/ imports nothing of ours outside shared/', () => {
    expect(crossings((f) => inside(f, 'shared'), ['server', 'web'])).toEqual([]);
  });

  it('web/ reaches server code only through the one door of its server side', () => {
    const door = 'web/lib/server/context.ts';
    expect(crossings((f) => inside(f, 'web') && f !== door, ['server'])).toEqual([]);
    expect(production.find((s) => s.file === door)?.imports).toEqual(['server/app-context.ts', 'server/auth/session-cookie.ts']);
  });

  it('the floors under the domains import no domain and no transport', () => {
    const lower = (f: string) =>
      inside(f, 'server/db', 'server/sfu', 'server/rooms', 'server/media', 'server/hls', 'server/limits', 'server/metrics', 'server/http', 'server/health') ||
      ['server/config.ts', 'server/errors.ts', 'server/log.ts', 'server/ids.ts', 'server/events.ts'].includes(f);
    expect(crossings(lower, [...domainDirs, 'server/realtime', 'server/api-router.ts', 'server/app.ts'])).toEqual([]);
  });

  it('domains import no transport: they reach rooms through the events room-updates forwards', () => {
    expect(crossings((f) => inside(f, ...domainDirs), ['server/realtime', 'server/api-router.ts', 'server/app.ts', 'server/rooms/room.ts'])).toEqual([]);
  });

  it('only room-updates and the media (signaling, LL-HLS, the captions’ audio tap, the demo, pipes between nodes) talk to a Room', () => {
    const talkers = production.filter((s) => s.imports.includes('server/rooms/room.ts') && !inside(s.file, 'server/rooms')).map((s) => s.file);
    expect(talkers.filter((f) => !inside(f, 'server/realtime', 'server/hls', 'server/demo', 'server/cluster/media', 'server/app.ts', 'server/captions/caption-service.ts'))).toEqual([]);
  });

  it('the LL-HLS format code is pure: no Node modules, nothing outside format/ and shared/', () => {
    const format = production.filter((s) => inside(s.file, 'server/hls/format'));
    expect(format.length).toBeGreaterThan(5);
    expect(format.flatMap((s) => s.imports.filter((i) => !inside(i, 'server/hls/format', 'shared')).map((i) => `${s.file} -> ${i}`))).toEqual([]);
    expect(format.filter((s) => /from 'node:/.test(fs.readFileSync(path.join(root, s.file), 'utf8'))).map((s) => s.file)).toEqual([]);
  });

  it(`no source file is longer than ${MAX_LINES} lines`, () => {
    expect(sources.filter((s) => s.lines > MAX_LINES).map((s) => `${s.file}: ${s.lines}`)).toEqual([]);
  });
});
