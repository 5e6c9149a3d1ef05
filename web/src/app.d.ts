import type { Language } from '#lib/i18n/languages.ts';

declare global {
  namespace App {
    interface Locals {
      /** The language the server renders in: the remembered choice, else Accept-Language. */
      lang: Language;
    }
  }
}

export {};
