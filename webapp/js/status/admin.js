// Admin commands of the status page; reuses the report pages' token and URL handling.
import { token, url } from '../reports/api.js';

export { getJson, token } from '../reports/api.js';

/** DELETE on the admin API; throws with the server's message unless 204. */
export async function remove(path) {
  const response = await fetch(url(path), { method: 'DELETE', headers: { Authorization: `Bearer ${token.get()}` } });
  if (response.status !== 204) {
    let message = `${response.status}`;
    try { message = (await response.json()).message || message; } catch { /* not JSON */ }
    throw new Error(message);
  }
}

export const kick = (room, id) => remove(`api/rooms/${encodeURIComponent(room)}/participants/${encodeURIComponent(id)}`);
export const closeRoom = room => remove(`api/rooms/${encodeURIComponent(room)}`);
