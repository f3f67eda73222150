import { normalize } from './server/moderation/normalize.ts';
import { defaultWordFilter } from './server/moderation/word-filter.ts';
const f = defaultWordFilter();
const lines = (await import('node:fs')).readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const s of lines) { const r = f.check(s); console.log(r.ok ? 'ok  ' : 'BLK ', JSON.stringify(s), JSON.stringify(normalize(s)), r.ok ? '' : r.matches.map(m => m.lang + ':' + m.term).join(',')); }
