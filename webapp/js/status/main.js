// The admin status page: asks for the admin token, then shows the instances and live rooms every 5 s with Kick and Close.
import { closeRoom, getJson, kick, token } from './admin.js';
import { renderRooms } from './rooms-view.js';

const REFRESH_MS = 5000;
const message = document.getElementById('status-message');
const summary = document.getElementById('summary');
const tbody = document.querySelector('#rooms tbody');
const instances = document.getElementById('instances');
let timer = null;

async function refresh() {
  try {
    const [status, rooms] = await Promise.all([getJson('api/status'), getJson('api/rooms')]);
    instances.textContent = status.instances.length > 1
      ? `Cluster of ${status.instances.length} instances: ${status.instances.join(', ')} (this page: ${status.instance})`
      : `Single instance: ${status.instance}`;
    const participants = rooms.reduce((n, r) => n + r.participants.length, 0);
    summary.textContent = `${rooms.length} room(s), ${participants} participant(s)`;
    renderRooms(tbody, rooms, { kick: act(kick), close: act(closeRoom) });
    message.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    message.textContent = error.message;
  }
}

/** Runs an admin command, then refreshes at once. */
function act(command) {
  return async (...args) => {
    try {
      await command(...args);
    } catch (error) {
      message.textContent = error.message;
    }
    await refresh();
  };
}

function start() {
  clearInterval(timer);
  refresh();
  timer = setInterval(refresh, REFRESH_MS);
}

document.getElementById('auth').addEventListener('submit', event => {
  event.preventDefault();
  token.set(document.getElementById('token').value);
  start();
});
document.getElementById('token').value = token.get();
if (token.get()) start();
