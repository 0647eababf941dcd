/** The REST calls the page makes: ICE servers and call quality reports. */
import { apiUrl } from './endpoints.js';

/**
 * The few REST calls the browser client makes (PROTOCOL.md §2). Failures are the caller's to
 * ignore or retry: nothing here is needed for a call to work.
 */

/**
 * Fresh ICE servers (TURN credentials expire): `{iceServers, ttl}`. `token`, our resume token, says we are a
 * participant: a server that requires join tokens gives ICE servers to its own users only.
 */
export async function fetchIceServers(token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(apiUrl('ice-servers'), { headers });
  if (!response.ok) {
    throw new Error(`ice-servers: HTTP ${response.status}`);
  }
  return response.json();
}

/**
 * Reports what this side saw of a finished call. The latest resume token proves that we took
 * part in it; `keepalive` lets the report out even when the page is being closed.
 */
export async function postQuality(callId, token, summary) {
  try {
    await fetch(apiUrl(`calls/${encodeURIComponent(callId)}/quality`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(summary),
      keepalive: true,
    });
  } catch {
    // A lost report costs nothing but a statistic.
  }
}
