/**
 * The site's languages. English is the root locale (URLs without a prefix); every other language
 * lives in a subfolder of the content folder with the same file names, e.g. content/ko/yaml.mdx.
 * astro.config.mjs builds Starlight's locales from this list, and the build checks that each
 * translation has exactly the steps of its source (translation-parity.ts).
 */
export interface Locale {
  /** Folder under content/ and URL prefix; '' for the root locale. */
  dir: string;
  /** BCP 47 tag for `<html lang>`. */
  lang: string;
  /** The name in the language picker, in that language. */
  label: string;
}

export const ROOT_LOCALE: Locale = { dir: '', lang: 'en', label: 'English' };
export const TRANSLATIONS: Locale[] = [{ dir: 'ko', lang: 'ko', label: '한국어' }];
export const LOCALES: Locale[] = [ROOT_LOCALE, ...TRANSLATIONS];

/** "ko/yaml" → { locale: ko, chapterId: "yaml" }; "yaml" → { locale: root, chapterId: "yaml" }. */
export function splitEntryId(entryId: string): { locale: Locale; chapterId: string } {
  const [first, ...rest] = entryId.split('/');
  const locale = TRANSLATIONS.find((l) => l.dir === first);
  return locale && rest.length > 0
    ? { locale, chapterId: rest.join('/') }
    : { locale: ROOT_LOCALE, chapterId: entryId };
}
