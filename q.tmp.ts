import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { normalize, skeleton } from './server/moderation/normalize.ts';
const m = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const s = 'Is this lotion good for dry skin? Does the shirt have a breast pocket? Shipping to Scunthorpe? '.repeat(6).slice(0,500);
const k = '다리미 가격이 얼마예요? 발 사이즈 문의드려요. 시발점에서 픽업 가능한가요? '.repeat(12).slice(0,500);
function t(name: string, f: () => unknown) { for (let i=0;i<500;i++) f(); const n=5000; const a=performance.now(); for (let i=0;i<n;i++) f(); console.log(name, ((performance.now()-a)/n).toFixed(4), 'ms'); }
t('normalize en', () => normalize(s));
t('normalize ko', () => normalize(k));
t('skeleton', () => skeleton(normalize(s)));
t('obscenity getAll en', () => m.getAllMatches(s));
t('obscenity hasMatch en', () => m.hasMatch(s));
t('obscenity getAll ko', () => m.getAllMatches(k));
