/**
 * Who makes each buy attempt and with which idempotency key, and what the answers add up to.
 * Attempt k comes from buyer k % B; every third round a buyer repeats their previous key (a
 * double tap), which must return the first order rather than create a second.
 */
export function attemptOf(k: number, buyers: number, label: string): { buyer: number; key: string } {
  const buyer = k % buyers;
  const round = Math.floor(k / buyers);
  return { buyer, key: `${label}-buyer-${buyer}-attempt-${round % 3 === 2 ? round - 1 : round}` };
}

/** Outcomes by status and error message, and the distinct orders each buyer was handed. */
export class OutcomeTally {
  readonly outcomes = new Map<string, number>();
  readonly #ordersByBuyer = new Map<number, Set<string>>();

  add(buyer: number, status: number, body: Buffer): void {
    const reply = JSON.parse(body.toString()) as { order?: { id: string }; error?: { message: string } };
    const outcome = status === 201 ? 'order' : `${status} ${reply.error?.message ?? 'no error message'}`;
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    if (status === 201 && reply.order) {
      const set = this.#ordersByBuyer.get(buyer) ?? new Set<string>();
      set.add(reply.order.id);
      this.#ordersByBuyer.set(buyer, set);
    }
  }

  /** Orders handed out beyond one per buyer: each is a double tap or retry that was sold twice. */
  get duplicates(): number {
    let n = 0;
    for (const s of this.#ordersByBuyer.values()) n += s.size - 1;
    return n;
  }

  get summary(): string {
    return [...this.outcomes].map(([k, v]) => `${v} × ${k}`).join('; ');
  }
}
