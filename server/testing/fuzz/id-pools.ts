/** The kinds of thing a request can name by id. */
export const ID_KINDS = [
  'show', 'lot', 'product', 'variant', 'order', 'coupon', 'poll', 'sale', 'drop', 'message', 'user',
  'transport', 'producer', 'consumer'
] as const;
export type IdKind = (typeof ID_KINDS)[number];

const toString = Symbol.for('fast-check/toStringMethod');

/**
 * "The n-th known id of this kind", resolved when the step runs: ids of transports,
 * orders or messages exist only once earlier requests were answered, so a generated
 * step names them by position and stays meaningful while fast-check shrinks it.
 */
export class IdRef {
  readonly kind: IdKind;
  readonly pick: number;
  constructor(kind: IdKind, pick: number) {
    this.kind = kind;
    this.pick = pick;
  }
  [toString](): string {
    return `@${this.kind}#${this.pick}`;
  }
  toJSON(): string {
    return this[toString]();
  }
}

/** Ids seen so far, by kind: from the world's setup and from every answer of the run. */
export class IdPools {
  readonly #ids = new Map<IdKind, (string | number)[]>();

  add(kind: IdKind, id: string | number): void {
    const list = this.#ids.get(kind) ?? [];
    if (!list.includes(id)) list.push(id);
    this.#ids.set(kind, list);
  }

  all(kind: IdKind): readonly (string | number)[] {
    return this.#ids.get(kind) ?? [];
  }

  /** The referenced id, or an id nobody has when none of that kind exists yet. */
  resolve(ref: IdRef): string | number {
    const list = this.all(ref.kind);
    return list.length ? list[ref.pick % list.length]! : `no-${ref.kind}-yet`;
  }

  /** Replaces every IdRef inside `value` (a generated request body) with a real id. */
  resolveDeep(value: unknown): unknown {
    if (value instanceof IdRef) return this.resolve(value);
    if (Array.isArray(value)) return value.map((v) => this.resolveDeep(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveDeep(v)]));
    return value;
  }

  /** Learns ids from an answer: objects under a key naming a kind (`order`, `products`, `variants`…) are of that kind. */
  learn(value: unknown, kind: IdKind | null = null): void {
    if (Array.isArray(value)) {
      for (const v of value) this.learn(v, kind);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (kind && (typeof record.id === 'string' || typeof record.id === 'number')) this.add(kind, record.id);
    for (const [key, v] of Object.entries(record)) {
      if (key === 'producerId' && typeof v === 'string') this.add('producer', v);
      this.learn(v, kindOfKey(key));
    }
  }
}

const keyKinds: Record<string, IdKind> = {
  show: 'show', shows: 'show', lot: 'lot', lots: 'lot', product: 'product', products: 'product', variant: 'variant', variants: 'variant',
  order: 'order', orders: 'order', coupon: 'coupon', poll: 'poll', sale: 'sale', sales: 'sale', drop: 'drop',
  message: 'message', messages: 'message', user: 'user', leader: 'user', host: 'user',
  consumers: 'consumer'
};

export function kindOfKey(key: string): IdKind | null {
  return keyKinds[key] ?? null;
}

/** The kind a request field names (`showId`, `productIds`, `replyTo`…), or null for a field that is no id. */
export function kindOfField(key: string): IdKind | null {
  if (key === 'replyTo' || key === 'messageId') return 'message';
  const m = /^(\w+?)Ids?$/.exec(key);
  return m && (ID_KINDS as readonly string[]).includes(m[1]!) ? (m[1] as IdKind) : null;
}
