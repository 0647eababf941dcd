// The admin status page: asks for the admin token, then shows the instances and live rooms every 5 s with Kick and Close.
import { closeRoom, getJson, kick, token } from './admin.js';
import { renderRooms } from './rooms-view.js';

const REFRESH_MS = 5000;
const message = document.getElementById('status-message');
const summary = document.getElementById('summary');
const tbody = document.querySelector('#rooms tbody');
const instances = document.getElementById('instances');
let timer = null;
let polling = 0;
/** Numbers the refreshes: an answer that a later refresh overtook (a kick's, the token's) is not drawn. */
let latest = 0;
/** Why the admin's last command was refused ('' if it was not): stays in view until the next command. */
let notice = '';

/**
 * Draws the rooms, or on failure clears them: rooms that may be gone, with buttons that would fail, are not left
 * on screen. Answers when to poll next, in ms, or null to stop: a refused token would only be refused again, and
 * every refusal counts towards the server's limit on guessing (parley.admin.failure-rate); a 429 is waited out.
 */
async function refresh() {
  const mine = ++latest;
  try {
    const [status, rooms] = await Promise.all([getJson('api/status'), getJson('api/rooms')]);
    if (mine !== latest) return REFRESH_MS;
    instances.textContent = status.instances.length > 1
      ? `Cluster of ${status.instances.length} instances: ${status.instances.join(', ')} (this page: ${status.instance})`
      : `Single instance: ${status.instance}`;
    const participants = rooms.reduce((n, r) => n + r.participants.length, 0);
    summary.textContent = `${rooms.length} room(s), ${participants} participant(s)`;
    renderRooms(tbody, rooms, { kick: act(kick), close: act(closeRoom) });
    const updated = `Updated ${new Date().toLocaleTimeString()}`;
    message.textContent = notice ? `${notice} (${updated})` : updated;
  } catch (error) {
    if (mine !== latest) return REFRESH_MS;
    tbody.replaceChildren();
    instances.textContent = '';
    summary.textContent = '';
    message.textContent = notice ? `${notice}; ${error.message}` : `Could not load: ${error.message}`;
    if (error.status === 401) return null;
    return error.status === 429 ? 60_000 : REFRESH_MS;
  }
  return REFRESH_MS;
}

/** Runs an admin command, then refreshes at once. */
function act(command) {
  return async (...args) => {
    try {
      await command(...args);
      notice = '';
    } catch (error) {
      notice = `Refused: ${error.message}`;
    }
    await refresh();
  };
}

/** Polls one refresh after the other ends, so a slow server never has several in flight; a new token restarts it. */
function start() {
  clearTimeout(timer);
  const loop = ++polling;
  const poll = async () => {
    const next = await refresh();
    if (loop === polling && next !== null) timer = setTimeout(poll, next);
  };
  poll();
}

document.getElementById('auth').addEventListener('submit', event => {
  event.preventDefault();
  token.set(document.getElementById('token').value);
  start();
});
document.getElementById('token').value = token.get();
if (token.get()) start();
