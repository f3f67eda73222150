import type { TOptions } from 'i18next';
import { ClientError } from '$lib/client-error';
import { errorText } from '$lib/i18n/error-text';

type Translate = (key: string, options?: TOptions) => string;

/**
 * What a form's last submit got wrong, in the reader's language. When the server names an input the
 * form shows (`card.number`, `shippingAddress.city`), the message belongs under that input, marked
 * invalid; anything else is the form's general alert.
 */
export class FormError {
  #text = $state<string | null>(null);
  #field = $state<string | null>(null);
  readonly #id: string;
  readonly #fields: ReadonlySet<string>;

  /** `id` keeps message ids unique on the page; `fields` are the inputs this form shows. */
  constructor(id: string, fields: readonly string[]) {
    this.#id = id;
    this.#fields = new Set(fields);
  }

  show(err: unknown, t: Translate): void {
    this.#text = errorText(err, t);
    const field = err instanceof ClientError ? err.field : undefined;
    this.#field = field !== undefined && this.#fields.has(field) ? field : null;
  }

  clear(): void {
    this.#text = null;
    this.#field = null;
  }

  /** The message no input of the form owns. */
  get general(): string | null {
    return this.#field === null ? this.#text : null;
  }

  /** The message for this input, if it is the one at fault. */
  at(field: string): string | null {
    return this.#field === field ? this.#text : null;
  }

  /** The id of this input's message, for `aria-describedby`. */
  idOf(field: string): string {
    return `${this.#id}-${field.replace(/\W/g, '-')}-error`;
  }

  /** Attributes for the input: invalid and described by its message while it is at fault. */
  attrs(field: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
    return this.#field === field ? { 'aria-invalid': 'true', 'aria-describedby': this.idOf(field) } : {};
  }
}
