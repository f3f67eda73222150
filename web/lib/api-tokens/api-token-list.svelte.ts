import { api } from '$lib/api';
import type { ApiTokenDto, CreatedApiTokenDto, TokenScope } from '$shared/api-tokens';

/**
 * The host's API tokens on the settings page, and the one just created. Its whole token is held only
 * until the host dismisses it (or revokes that token): the server never sends it again.
 */
export class ApiTokenList {
  #tokens = $state<ApiTokenDto[]>([]);
  #created = $state<CreatedApiTokenDto | null>(null);

  constructor(tokens: ApiTokenDto[]) {
    this.#tokens = tokens;
  }

  get tokens(): ApiTokenDto[] {
    return this.#tokens;
  }

  /** The token made last, with its secret, until dismissed. */
  get created(): CreatedApiTokenDto | null {
    return this.#created;
  }

  /** Creates a token; throws the server's refusal (a limit, bad input) and keeps the list as it was. */
  async create(name: string, scopes: TokenScope[]): Promise<void> {
    const created = await api('POST /api-tokens', { body: { name, scopes } });
    this.#tokens = [...this.#tokens, created.apiToken];
    this.#created = created;
  }

  /** Forgets the shown token: it cannot be shown again. */
  dismiss(): void {
    this.#created = null;
  }

  /** Revokes a token; from the next request on, it is refused. */
  async revoke(id: string): Promise<void> {
    await api('DELETE /api-tokens/:id', { params: { id } });
    this.#tokens = this.#tokens.filter((t) => t.id !== id);
    if (this.#created?.apiToken.id === id) this.#created = null;
  }
}
