import type { PublicUser } from '$shared/auth';
import type { ErrorCode, ErrorReason } from '$shared/errors';
import type { Locale } from '$lib/i18n/locales';

declare global {
  namespace App {
    interface Locals {
      user: PublicUser | null;
      locale: Locale;
    }
    /** `message` is English, for logs; the page says `code` and `reason` in the reader's language. */
    interface Error {
      message: string;
      code?: ErrorCode;
      reason?: ErrorReason;
    }
  }
}

export {};
