/**
 * The runner's token, as the page keeps it: `npm start` prints a link with `?token=`, and every
 * page (the landing page too) moves it into localStorage and out of the address bar, so it is
 * neither bookmarked nor sent on as a Referer.
 */
export const TOKEN_KEY = 'runner-token';

export function tokenStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (privacy settings, some file:// pages)
  }
}

export function adoptTokenFromUrl(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  tokenStorage()?.setItem(TOKEN_KEY, token);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}
