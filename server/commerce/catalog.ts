import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { lineup, orderItems, products, shows, variants, type ProductRow, type VariantRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { newId } from '../ids.ts';
import { canHost, type PublicUser } from '#shared/auth.ts';
import type { CreateProductInput, ProductDto, StockUpdate } from '#shared/commerce.ts';
import type { z } from 'zod';
import type { updateProductSchema } from '#shared/commerce.ts';

export interface CatalogEvents extends Record<string, unknown[]> {
  /** The host set a variant's stock: the product's levels now, for the shows not yet ended whose lineup holds it. */
  stock: [showIds: string[], update: StockUpdate];
  /** Deleted or archived: the shows not yet ended whose lineup held it must stop offering it. */
  withdrawn: [productId: string, showIds: string[]];
}

/** Hosts' products, their variants (where stock lives) and show lineups. */
export class Catalog extends TypedEmitter<CatalogEvents> {
  readonly #db: Db;
  readonly #imageUrl: (file: string) => string;

  // Every buy attempt runs these: prepared once. A variant and its product are two primary-key
  // reads, which SQLite answers in about half the time of their join.
  readonly #variantById;
  readonly #productById;
  readonly #inLineup;

  constructor(db: Db, imageUrl: (file: string) => string = (f) => `/media/products/${f}`) {
    super();
    this.#db = db;
    this.#imageUrl = imageUrl;
    this.#variantById = db.select().from(variants).where(eq(variants.id, sql.placeholder('id'))).prepare();
    this.#productById = db.select().from(products).where(eq(products.id, sql.placeholder('id'))).prepare();
    this.#inLineup = db.select({ showId: lineup.showId }).from(lineup).where(and(eq(lineup.showId, sql.placeholder('showId')), eq(lineup.productId, sql.placeholder('productId')))).prepare();
  }

  create(actor: PublicUser, input: CreateProductInput): ProductDto {
    if (!canHost(actor.role)) throw new AppError('forbidden', 'Only hosts can add products.');
    const id = newId();
    const variantRows = input.variants?.length ? input.variants : [{ name: '', sku: input.sku, stock: input.stock }];
    this.#db.transaction(() => {
      this.#db.insert(products).values({ id, ownerId: actor.id, title: input.title, description: input.description, currency: input.currency, price: input.price }).run();
      for (const v of variantRows) {
        this.#db.insert(variants).values({ id: newId(), productId: id, name: v.name, sku: v.sku ?? null, price: 'price' in v ? (v.price ?? null) : null, stock: v.stock }).run();
      }
    });
    return this.get(id);
  }

  update(actor: PublicUser, id: string, input: z.output<typeof updateProductSchema>): ProductDto {
    this.#owned(actor, id);
    this.#db.update(products).set({ ...input, updatedAt: Date.now() }).where(eq(products.id, id)).run();
    return this.get(id);
  }

  setStock(actor: PublicUser, variantId: string, stock: number): ProductDto {
    const v = this.#db.select().from(variants).where(eq(variants.id, variantId)).get();
    if (!v) throw new AppError('not_found', 'No such variant.');
    this.#owned(actor, v.productId);
    this.#db.update(variants).set({ stock }).where(eq(variants.id, variantId)).run();
    const product = this.get(v.productId);
    const update = { productId: product.id, variants: product.variants.map((x) => ({ id: x.id, stock: x.stock })), sale: null };
    this.emit('stock', this.#openShowsWith(product.id), update);
    return product;
  }

  /** A copy with the same fields, images and variants (each with its current stock). */
  duplicate(actor: PublicUser, id: string): ProductDto {
    const row = this.#owned(actor, id);
    const copyId = newId();
    this.#db.transaction(() => {
      this.#db.insert(products).values({ id: copyId, ownerId: row.ownerId, title: row.title, description: row.description, currency: row.currency, price: row.price, images: row.images }).run();
      for (const v of this.#variantsOf([id]).get(id) ?? []) {
        this.#db.insert(variants).values({ id: newId(), productId: copyId, name: v.name, sku: v.sku, price: v.price, stock: v.stock }).run();
      }
    });
    return this.get(copyId);
  }

  /** Deletes a product never ordered; one with orders is archived so its orders keep it. Either way it leaves every lineup. */
  remove(actor: PublicUser, id: string): 'deleted' | 'archived' {
    this.#owned(actor, id);
    const showIds = this.#openShowsWith(id);
    const outcome = this.#db.transaction(() => {
      const ordered = this.#db.select({ id: orderItems.orderId }).from(orderItems).innerJoin(variants, eq(variants.id, orderItems.variantId)).where(eq(variants.productId, id)).limit(1).get();
      if (!ordered) {
        this.#db.delete(products).where(eq(products.id, id)).run();
        return 'deleted' as const;
      }
      this.#db.update(products).set({ archived: true, updatedAt: Date.now() }).where(eq(products.id, id)).run();
      this.#db.delete(lineup).where(eq(lineup.productId, id)).run();
      return 'archived' as const;
    });
    this.emit('withdrawn', id, showIds);
    return outcome;
  }

  addImage(actor: PublicUser, id: string, file: string): ProductDto {
    const row = this.#owned(actor, id);
    if (row.images.length >= 8) throw new AppError('conflict', 'A product may have at most 8 images.');
    this.#db.update(products).set({ images: [...row.images, file], updatedAt: Date.now() }).where(eq(products.id, id)).run();
    return this.get(id);
  }

  get(id: string): ProductDto {
    const row = this.#db.select().from(products).where(eq(products.id, id)).get();
    if (!row || row.archived) throw new AppError('not_found', 'No such product.');
    return this.#toDto(row, this.#variantsOf([id]).get(id) ?? []);
  }

  many(ids: readonly string[]): ProductDto[] {
    if (ids.length === 0) return [];
    const rows = this.#db.select().from(products).where(inArray(products.id, [...ids])).all();
    const vs = this.#variantsOf(ids);
    const byId = new Map(rows.map((r) => [r.id, this.#toDto(r, vs.get(r.id) ?? [])]));
    return ids.flatMap((i) => byId.get(i) ?? []);
  }

  ownedBy(ownerId: string): ProductDto[] {
    const rows = this.#db.select().from(products).where(and(eq(products.ownerId, ownerId), eq(products.archived, false))).all();
    const vs = this.#variantsOf(rows.map((r) => r.id));
    return rows.map((r) => this.#toDto(r, vs.get(r.id) ?? []));
  }

  variant(id: string): { variant: VariantRow; product: ProductRow } {
    const variant = this.#variantById.get({ id });
    const product = variant && this.#productById.get({ id: variant.productId });
    if (!variant || !product || product.archived) throw new AppError('not_found', 'No such product.');
    return { variant, product };
  }

  /** Replaces a show's lineup; every product must belong to the show's host. */
  setLineup(hostId: string, showId: string, productIds: readonly string[]): ProductDto[] {
    const owned = new Set(this.ownedBy(hostId).map((p) => p.id));
    const foreign = productIds.find((p) => !owned.has(p));
    if (foreign) throw new AppError('forbidden', 'A lineup can only hold the host’s own products.');
    this.#db.transaction(() => {
      this.#db.delete(lineup).where(eq(lineup.showId, showId)).run();
      productIds.forEach((productId, position) => this.#db.insert(lineup).values({ showId, productId, position }).run());
    });
    return this.lineup(showId);
  }

  lineup(showId: string): ProductDto[] {
    const ids = this.#db.select({ id: lineup.productId }).from(lineup).where(eq(lineup.showId, showId)).orderBy(asc(lineup.position)).all().map((r) => r.id);
    return this.many(ids);
  }

  inLineup(showId: string, productId: string): boolean {
    return this.#inLineup.get({ showId, productId }) !== undefined;
  }

  /** The shows, live or still to come, whose lineup holds the product. */
  #openShowsWith(productId: string): string[] {
    return this.#db
      .select({ id: lineup.showId })
      .from(lineup)
      .innerJoin(shows, eq(shows.id, lineup.showId))
      .where(and(eq(lineup.productId, productId), ne(shows.status, 'ended')))
      .all()
      .map((r) => r.id);
  }

  #owned(actor: PublicUser, id: string): ProductRow {
    const row = this.#db.select().from(products).where(eq(products.id, id)).get();
    if (!row || row.archived) throw new AppError('not_found', 'No such product.');
    if (row.ownerId !== actor.id && actor.role !== 'admin') throw new AppError('forbidden', 'This product belongs to another host.');
    // A host demoted by an admin keeps their products but may no longer change them.
    if (!canHost(actor.role)) throw new AppError('forbidden', 'Your account no longer has host rights.');
    return row;
  }

  #variantsOf(ids: readonly string[]): Map<string, VariantRow[]> {
    const out = new Map<string, VariantRow[]>();
    if (ids.length === 0) return out;
    for (const v of this.#db.select().from(variants).where(inArray(variants.productId, [...ids])).all()) {
      const list = out.get(v.productId);
      if (list) list.push(v);
      else out.set(v.productId, [v]);
    }
    return out;
  }

  #toDto(row: ProductRow, vs: VariantRow[]): ProductDto {
    return {
      id: row.id,
      ownerId: row.ownerId,
      title: row.title,
      description: row.description,
      currency: row.currency,
      price: row.price,
      images: row.images.map(this.#imageUrl),
      variants: vs.map((v) => ({ id: v.id, name: v.name, sku: v.sku, price: v.price ?? row.price, stock: v.stock }))
    };
  }
}
