// Times WordFilter.check on 500-character chat messages:
//   npm run bench:word-filter
import { WordFilter } from '../../server/moderation/word-filter.ts';

const SAMPLES = [
  'Is this lotion good for dry skin? Does the shirt have a breast pocket? Shipping to Scunthorpe? ',
  '다리미 가격이 얼마예요? 발 사이즈 문의드려요. 시발점에서 픽업 가능한가요? ',
  '这款乳液适合干皮吗？鸡蛋面膜怎么用？白色情侣款还有吗？ ',
  'f u c k this, ｓｈｉｔ product, 씨 발 진짜, 傻 逼 卖家, sh0pm4rt is cheaper ',
];
const messages = SAMPLES.map((s) => s.repeat(Math.ceil(500 / s.length)).slice(0, 500));

const filter = new WordFilter({ extraTerms: ['ShopMart', '쿠팡', '淘宝'] });
const rounds = 5000;
for (let i = 0; i < 500; i++) for (const m of messages) filter.check(m); // warm up the JIT

const times: number[] = [];
for (let i = 0; i < rounds; i++) {
  for (const m of messages) {
    const start = process.hrtime.bigint();
    filter.check(m);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const p99 = times[Math.floor(times.length * 0.99)] ?? NaN;
console.log(`${times.length} checks of 500 chars: mean ${mean.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
console.log(JSON.stringify({ checks: times.length, mean_ms: Number(mean.toFixed(3)), p99_ms: Number(p99.toFixed(3)) }));
