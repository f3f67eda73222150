import type { PublicUser } from '$shared/auth';
import type { Locale } from '$lib/i18n/locales';

declare global {
  namespace App {
    interface Locals {
      user: PublicUser | null;
      locale: Locale;
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
