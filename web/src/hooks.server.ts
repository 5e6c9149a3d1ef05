import type { Handle } from '@sveltejs/kit/hooks';
import {
  FALLBACK_LANGUAGE,
  LANGUAGE_COOKIE,
  isLanguage,
  matchLanguage,
  parseAcceptLanguage,
  textDirection,
} from '#lib/i18n/languages.ts';

// Security headers other than CSP are set by the Koa server in front of this handler; the CSP
// comes from the `csp` option in vite.config.ts (it needs the per-response nonce).

export const handle: Handle = async ({ event, resolve }) => {
  const chosen = event.cookies.get(LANGUAGE_COOKIE);
  const lang = isLanguage(chosen)
    ? chosen
    : (matchLanguage(parseAcceptLanguage(event.request.headers.get('accept-language'))) ?? FALLBACK_LANGUAGE);
  event.locals.lang = lang;

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%tupa.lang%', lang).replace('%tupa.dir%', textDirection[lang]),
  });
  response.headers.append('Vary', 'Accept-Language, Cookie');
  return response;
};
