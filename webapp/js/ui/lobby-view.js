/** The join form: name, room, password and its errors. */
import { byId, emit } from './dom.js';

const NAME_KEY = 'parley.name';
const TOKEN_KEY = 'parley.token';

/**
 * The join form. It remembers the display name, takes the room from `?room=`, and shows the
 * password field only once the server has said the room needs one. It reports a `join` event
 * {room, name, password, token}; `room` null means "let the server pick a random room".
 *
 * `token`: a join token (PROTOCOL.md §4) handed over in the address's fragment, `/?room=R#token=T`, by the
 * application that links here when the server requires one. A fragment never reaches a server log or a Referer;
 * it is also taken out of the address bar at once, so that a copied link does not pass the token on.
 */
export class LobbyView extends EventTarget {
  #root = byId('lobby');
  #name = byId('name');
  #room = byId('room');
  #password = byId('password');
  #passwordField = byId('password-field');
  #error = byId('lobby-error');
  #buttons = [byId('join'), byId('random-room')];
  #token = takeTokenFromAddress();

  constructor() {
    super();
    this.#name.value = load(NAME_KEY);
    this.#room.value = new URLSearchParams(location.search).get('room') ?? '';
    byId('join-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit(this.#room.value.trim() || null);
    });
    byId('random-room').addEventListener('click', () => this.#submit(null));
  }

  show() {
    this.#root.hidden = false;
    this.busy(false);
  }

  hide() {
    this.#root.hidden = true;
  }

  busy(on) {
    this.#buttons.forEach((button) => { button.disabled = on; });
  }

  /** The room actually joined (perhaps server-picked), so that joining again is one click. */
  setRoom(room) {
    this.#room.value = room;
    this.#password.value = '';
    this.#passwordField.hidden = true;
  }

  showError(text) {
    this.#error.textContent = text;
    this.#error.hidden = false;
  }

  askPassword() {
    this.#passwordField.hidden = false;
    this.#password.value = '';
    this.#password.focus();
  }

  #submit(room) {
    const name = this.#name.value.trim();
    save(NAME_KEY, name);
    this.#error.hidden = true;
    const password = room && !this.#passwordField.hidden ? this.#password.value : '';
    emit(this, 'join', { room, name: name || null, password: password || null, token: this.#token });
  }
}

/**
 * The token of the link this tab was opened with: taken from the fragment into the tab's session storage, which a
 * reload keeps (the reload leaves the room, and joins again) and a copied link does not carry.
 */
function takeTokenFromAddress() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) {
    history.replaceState(history.state, '', location.pathname + location.search);
    save(TOKEN_KEY, token, 'sessionStorage'); // disabled: the token lasts as long as this page
    return token;
  }
  return load(TOKEN_KEY, 'sessionStorage') || null;
}

/** `area`: the storage's name, not the object, as reading `sessionStorage` itself throws where storage is blocked. */
function load(key, area = 'localStorage') {
  try {
    return window[area].getItem(key) ?? '';
  } catch {
    return ''; // storage disabled: nothing remembered
  }
}

function save(key, value, area = 'localStorage') {
  try {
    window[area].setItem(key, value);
  } catch {
    // storage disabled or full: simply not remembered
  }
}
