/**
 * Which of the site's languages a browser prefers, from its Accept-Language header (RFC 9110
 * §12.5.4: tags with q-weights; the highest weight wins, the earlier tag on a tie). The site is
 * English at the root and Korean under /ko/ (src/steps/locales.ts): the runner's link sends a
 * browser that prefers Korean to /ko/.
 */
import type { Language } from '../../contract/messages.ts';

/** 'ko' when the best-weighted language the site has is Korean; 'en' otherwise (and for no header). */
export function preferredLanguage(header: string | undefined): Language {
  let best: { language: Language; q: number } | undefined;
  for (const part of (header ?? '').split(',').slice(0, 32)) {
    const [tag = '', ...parameters] = part.trim().toLowerCase().split(';');
    const weight = parameters.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
    const q = weight === undefined ? 1 : Number(weight);
    const language =
      tag === 'ko' || tag.startsWith('ko-') ? 'ko' : tag === 'en' || tag.startsWith('en-') ? 'en' : undefined;
    if (!language || q <= 0) continue;
    if (!best || q > best.q) best = { language, q };
  }
  return best?.language ?? 'en';
}

/**
 * Where the link `npm start` prints (`/?token=…`) should go for this browser: /ko/ with the same
 * query when it prefers Korean, else nowhere. Only that link: `/` without a token is the language
 * picker's English page, which a Korean browser chose on purpose.
 */
export function languageRedirect(url: URL, acceptLanguage: string | undefined): string | undefined {
  if (url.pathname !== '/' || !url.searchParams.has('token')) return undefined;
  return preferredLanguage(acceptLanguage) === 'ko' ? `/ko/${url.search}` : undefined;
}
