import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { ProductRow, VariantRow } from '../db/schema.ts';
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
  readonly #repo: Repo;
  readonly #imageUrl: (file: string) => string;

  // Every buy attempt runs these: prepared once. A variant and its product are two primary-key
  // reads, which SQLite answers in about half the time of their join.
  readonly #variantById;
  readonly #productById;
  readonly #inLineup;

  constructor(repo: Repo, imageUrl: (file: string) => string = (f) => `/media/products/${f}`) {
    super();
    this.#repo = repo;
    this.#imageUrl = imageUrl;
    const id = sql.placeholder('id');
    this.#variantById = repo.prepare((db, t) => db.select().from(t.variants).where(eq(t.variants.id, id)));
    this.#productById = repo.prepare((db, t) => db.select().from(t.products).where(eq(t.products.id, id)));
    this.#inLineup = repo.prepare((db, t) =>
      db.select({ showId: t.lineup.showId }).from(t.lineup).where(and(eq(t.lineup.showId, sql.placeholder('showId')), eq(t.lineup.productId, sql.placeholder('productId'))))
    );
  }

  async create(actor: PublicUser, input: CreateProductInput): Promise<ProductDto> {
    if (!canHost(actor.role)) throw new AppError('forbidden', 'Only hosts can add products.');
    const id = newId();
    const variantRows = input.variants?.length ? input.variants : [{ name: '', sku: input.sku, stock: input.stock }];
    await this.#repo.tx(async () => {
      const { db, t } = this.#repo;
      await this.#repo.changes(db.insert(t.products).values({ id, ownerId: actor.id, title: input.title, description: input.description, currency: input.currency, price: input.price }));
      await this.#repo.changes(
        db.insert(t.variants).values(variantRows.map((v, position) => ({ id: newId(), productId: id, position, name: v.name, sku: v.sku ?? null, price: 'price' in v ? (v.price ?? null) : null, stock: v.stock })))
      );
    });
    return this.get(id);
  }

  async update(actor: PublicUser, id: string, input: z.output<typeof updateProductSchema>): Promise<ProductDto> {
    await this.#owned(actor, id);
    const { db, t } = this.#repo;
    await this.#repo.changes(db.update(t.products).set({ ...input, updatedAt: Date.now() }).where(eq(t.products.id, id)));
    return this.get(id);
  }

  async setStock(actor: PublicUser, variantId: string, stock: number): Promise<ProductDto> {
    const v = await this.#variantById.one({ id: variantId });
    if (!v) throw new AppError('not_found', 'No such variant.');
    await this.#owned(actor, v.productId);
    const { db, t } = this.#repo;
    await this.#repo.changes(db.update(t.variants).set({ stock }).where(eq(t.variants.id, variantId)));
    const product = await this.get(v.productId);
    const update = { productId: product.id, variants: product.variants.map((x) => ({ id: x.id, stock: x.stock })), sale: null };
    this.emit('stock', await this.#openShowsWith(product.id), update);
    return product;
  }

  /** A copy with the same fields, images and variants (each with its current stock). */
  async duplicate(actor: PublicUser, id: string): Promise<ProductDto> {
    const row = await this.#owned(actor, id);
    const copyId = newId();
    await this.#repo.tx(async () => {
      const { db, t } = this.#repo;
      await this.#repo.changes(db.insert(t.products).values({ id: copyId, ownerId: row.ownerId, title: row.title, description: row.description, currency: row.currency, price: row.price, images: row.images }));
      const vs = (await this.#variantsOf([id])).get(id) ?? [];
      if (vs.length) await this.#repo.changes(db.insert(t.variants).values(vs.map((v) => ({ id: newId(), productId: copyId, position: v.position, name: v.name, sku: v.sku, price: v.price, stock: v.stock }))));
    });
    return this.get(copyId);
  }

  /** Deletes a product never ordered; one with orders is archived so its orders keep it. Either way it leaves every lineup. */
  async remove(actor: PublicUser, id: string): Promise<'deleted' | 'archived'> {
    await this.#owned(actor, id);
    const showIds = await this.#openShowsWith(id);
    const outcome = await this.#repo.tx(async () => {
      const { db, t } = this.#repo;
      const ordered = await this.#repo.one(
        db.select({ id: t.orderItems.orderId }).from(t.orderItems).innerJoin(t.variants, eq(t.variants.id, t.orderItems.variantId)).where(eq(t.variants.productId, id)).limit(1)
      );
      if (!ordered) {
        await this.#repo.changes(db.delete(t.products).where(eq(t.products.id, id)));
        return 'deleted' as const;
      }
      await this.#repo.changes(db.update(t.products).set({ archived: true, updatedAt: Date.now() }).where(eq(t.products.id, id)));
      await this.#repo.changes(db.delete(t.lineup).where(eq(t.lineup.productId, id)));
      return 'archived' as const;
    });
    this.emit('withdrawn', id, showIds);
    return outcome;
  }

  async addImage(actor: PublicUser, id: string, file: string): Promise<ProductDto> {
    const row = await this.#owned(actor, id);
    if (row.images.length >= 8) throw new AppError('conflict', 'A product may have at most 8 images.');
    const { db, t } = this.#repo;
    await this.#repo.changes(db.update(t.products).set({ images: [...row.images, file], updatedAt: Date.now() }).where(eq(t.products.id, id)));
    return this.get(id);
  }

  async get(id: string): Promise<ProductDto> {
    const row = await this.#productById.one({ id });
    if (!row || row.archived) throw new AppError('not_found', 'No such product.');
    return this.#toDto(row, (await this.#variantsOf([id])).get(id) ?? []);
  }

  async many(ids: readonly string[]): Promise<ProductDto[]> {
    if (ids.length === 0) return [];
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(db.select().from(t.products).where(inArray(t.products.id, [...ids])));
    const vs = await this.#variantsOf(ids);
    const byId = new Map(rows.map((r) => [r.id, this.#toDto(r, vs.get(r.id) ?? [])]));
    return ids.flatMap((i) => byId.get(i) ?? []);
  }

  /** The host's products, oldest first (PostgreSQL, unordered, would list an edited one last). */
  async ownedBy(ownerId: string): Promise<ProductDto[]> {
    const { db, t } = this.#repo;
    const { products } = t;
    const rows = await this.#repo.all(
      db.select().from(products).where(and(eq(products.ownerId, ownerId), eq(products.archived, false))).orderBy(asc(products.createdAt), asc(products.id))
    );
    const vs = await this.#variantsOf(rows.map((r) => r.id));
    return rows.map((r) => this.#toDto(r, vs.get(r.id) ?? []));
  }

  async variant(id: string): Promise<{ variant: VariantRow; product: ProductRow }> {
    const variant = await this.#variantById.one({ id });
    const product = variant && (await this.#productById.one({ id: variant.productId }));
    if (!variant || !product || product.archived) throw new AppError('not_found', 'No such product.');
    return { variant, product };
  }

  /** Replaces a show's lineup; every product must belong to the show's host. */
  async setLineup(hostId: string, showId: string, productIds: readonly string[]): Promise<ProductDto[]> {
    const owned = new Set((await this.ownedBy(hostId)).map((p) => p.id));
    const foreign = productIds.find((p) => !owned.has(p));
    if (foreign) throw new AppError('forbidden', 'A lineup can only hold the host’s own products.');
    await this.#repo.tx(async () => {
      const { db, t } = this.#repo;
      await this.#repo.changes(db.delete(t.lineup).where(eq(t.lineup.showId, showId)));
      if (productIds.length) await this.#repo.changes(db.insert(t.lineup).values(productIds.map((productId, position) => ({ showId, productId, position }))));
    });
    return this.lineup(showId);
  }

  async lineup(showId: string): Promise<ProductDto[]> {
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(db.select({ id: t.lineup.productId }).from(t.lineup).where(eq(t.lineup.showId, showId)).orderBy(asc(t.lineup.position)));
    return this.many(rows.map((r) => r.id));
  }

  async inLineup(showId: string, productId: string): Promise<boolean> {
    return (await this.#inLineup.one({ showId, productId })) !== undefined;
  }

  /** The shows, live or still to come, whose lineup holds the product. */
  async #openShowsWith(productId: string): Promise<string[]> {
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(
      db
        .select({ id: t.lineup.showId })
        .from(t.lineup)
        .innerJoin(t.shows, eq(t.shows.id, t.lineup.showId))
        .where(and(eq(t.lineup.productId, productId), ne(t.shows.status, 'ended')))
    );
    return rows.map((r) => r.id);
  }

  async #owned(actor: PublicUser, id: string): Promise<ProductRow> {
    const row = await this.#productById.one({ id });
    if (!row || row.archived) throw new AppError('not_found', 'No such product.');
    if (row.ownerId !== actor.id && actor.role !== 'admin') throw new AppError('forbidden', 'This product belongs to another host.');
    // A host demoted by an admin keeps their products but may no longer change them.
    if (!canHost(actor.role)) throw new AppError('forbidden', 'Your account no longer has host rights.');
    return row;
  }

  async #variantsOf(ids: readonly string[]): Promise<Map<string, VariantRow[]>> {
    const out = new Map<string, VariantRow[]>();
    if (ids.length === 0) return out;
    const { db, t } = this.#repo;
    for (const v of await this.#repo.all(db.select().from(t.variants).where(inArray(t.variants.productId, [...ids])).orderBy(asc(t.variants.position)))) {
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
