import { api } from '$lib/api';
import type { ProductDto } from '$shared/commerce';

/** The host's products and which of them are in this show's lineup, in lineup order. */
export class StudioCatalog {
  products = $state<ProductDto[]>([]);
  lineupIds = $state<string[]>([]);
  readonly #showId: string;

  constructor(showId: string) {
    this.#showId = showId;
  }

  get lineup(): ProductDto[] {
    return this.lineupIds.map((id) => this.products.find((p) => p.id === id)).filter((p) => p !== undefined);
  }

  async load(): Promise<void> {
    const [{ products }, { products: lineup }] = await Promise.all([api('GET /products'), api('GET /shows/:id/lineup', { params: { id: this.#showId } })]);
    this.products = products;
    this.lineupIds = lineup.map((p) => p.id);
  }

  async setLineup(productIds: string[]): Promise<void> {
    await api('PUT /shows/:id/lineup', { params: { id: this.#showId }, body: { productIds } });
    await this.load();
  }

  toggle(id: string): Promise<void> {
    return this.setLineup(this.lineupIds.includes(id) ? this.lineupIds.filter((x) => x !== id) : [...this.lineupIds, id]);
  }
}
