/** Millisecond histogram (0..60 s) so millions of samples cost no memory; mergeable across threads. */
export class Histogram {
  readonly counts: Uint32Array;
  constructor(counts?: Uint32Array) {
    this.counts = counts ?? new Uint32Array(60_001);
  }
  add(ms: number): void {
    this.counts[Math.min(this.counts.length - 1, Math.max(0, Math.round(ms)))]!++;
  }
  merge(other: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
  }
  get total(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }
  percentile(p: number): number {
    const target = (p / 100) * this.total;
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= target && seen > 0) return i;
    }
    return NaN;
  }
}
