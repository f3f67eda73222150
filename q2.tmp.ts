import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
const k = '다리미 가격이 얼마예요? 발 사이즈 문의드려요. 시발점에서 픽업 가능한가요? '.repeat(12).slice(0,500);
const s = 'Is this lotion good for dry skin? Does the shirt have a breast pocket? Shipping to Scunthorpe? '.repeat(6).slice(0,500);
const m0 = new RegExpMatcher({ ...englishDataset.build() });
function t(name: string, f: () => unknown) { for (let i=0;i<500;i++) f(); const n=5000; const a=performance.now(); for (let i=0;i<n;i++) f(); console.log(name, ((performance.now()-a)/n).toFixed(4), 'ms'); }
t('nfkd', () => k.normalize('NFKD'));
t('nfkd+nfc', () => k.normalize('NFKD').normalize('NFC'));
t('nfkc', () => k.normalize('NFKC'));
t('lower', () => k.toLowerCase());
t('inv', () => k.replace(/[\p{M}\p{Cf}\u0000-\u0008\u000E-\u001F\u007F-\u009F\u115F\u1160\u2800]/gu, ''));
t('hangul gap', () => k.replace(/(?<=\p{sc=Hangul})[^\s\p{L}\p{N}]+(?=\p{sc=Hangul})/gu, ''));
t('han gap', () => k.replace(/(?<=\p{sc=Han})[^\p{L}\p{N}]+(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])[^\p{L}\p{N}]+(?=\p{sc=Han})/gu, ''));
const LL = '\\p{L}\\p{N}@$!';
const R1 = new RegExp(`(?<=[${LL}])[^\\s${LL}'’]+(?=[${LL}])`, 'gu');
const R2 = new RegExp(`(?<![${LL}'’])[${LL}](?:[^${LL}'’]+[${LL}](?![${LL}'’]))+`, 'gu');
t('inword', () => k.replace(R1, ''));
t('singlerun', () => k.replace(R2, ''));
t('obsc no transformers en', () => m0.getAllMatches(s));
t('obsc no transformers ko', () => m0.getAllMatches(k));
