// The access token of browser mode: `tunebench serve` prints `http://127.0.0.1:PORT/?token=T`. The token is moved
// from the address bar into sessionStorage (survives reloads of this tab, never lands in history or bookmarks).

export const TOKEN_STORAGE_KEY = 'tunebench.token';

/** Splits `?token=T&x=1` into the token and the search string left without it ('' when nothing remains). */
export function takeTokenFromSearch(search: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(search);
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return { token: token && token.length > 0 ? token : null, rest: rest ? `?${rest}` : '' };
}

/** Reads the token from the address (then removes it there) or from this tab's sessionStorage; null when neither. */
export function readBrowserToken(): string | null {
  const { token, rest } = takeTokenFromSearch(window.location.search);
  if (token) {
    try {
      window.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // storage disabled: the token still works for this page load
    }
    const url = `${window.location.pathname}${rest}${window.location.hash}`;
    window.history.replaceState(window.history.state, '', url);
    return token;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}
