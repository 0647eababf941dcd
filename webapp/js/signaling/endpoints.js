/** The server's addresses, relative to the page so any context root works. */
/**
 * Where the server is. The WAR may be deployed under any context root, so every address is
 * resolved against the page's own base URI, never written as an absolute path.
 */

/** The signaling WebSocket (PROTOCOL.md §1): `signal` beside the page, ws: or wss: like the page. */
export function signalUrl(base = document.baseURI) {
  const url = new URL('signal', base);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** A REST resource under `api/` (PROTOCOL.md §2), e.g. `apiUrl('ice-servers')`. */
export function apiUrl(path, base = document.baseURI) {
  return new URL(`api/${path}`, base).href;
}

/** The link that brings someone else into `room`: this page with `?room=`. */
export function shareLink(room) {
  return `${location.origin}${location.pathname}?room=${encodeURIComponent(room)}`;
}
