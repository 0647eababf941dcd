/** The signaling WebSocket: join, resume after drops, and one event per server message. */
import { signalUrl } from './endpoints.js';
import { Heartbeat } from './heartbeat.js';

const MAX_RETRIES = 10;
/** Messages kept while reconnecting, at most: answers, rejects, hang-ups. */
const MAX_PENDING = 100;
/**
 * Not kept while reconnecting: a call's offers and candidates. The calls renegotiate once the seat
 * is resumed (RoomSession calls recover(), which rolls an unsent offer back and restarts ICE), and
 * an old offer sent after that would cross the new one.
 */
const RENEGOTIATED = new Set(['offer', 'candidate']);
/** Closes after which coming back makes no sense: ours, taken over by a resume, kicked or room closed. */
const FINAL_CODES = new Set([1000, 4000, 4001]);
/** A refused resume's `reason` (Parley's addition) that means: put out of the room, do not come back. */
const REMOVED = new Set(['kicked', 'room-closed']);

/**
 * The signaling WebSocket of PROTOCOL.md §1 for one visit to a room.
 *
 * It sends `join` on open and nothing else until `joined` arrives: the browser reports the socket
 * open before the server has finished setting the session up. It keeps the latest resume token
 * and, when the socket drops, reconnects with backoff and resumes; if the server no longer knows
 * the token (grace period over) it joins the same room afresh. What is sent while it reconnects
 * (hanging up, answering, rejecting) is kept and sent once the seat is resumed, or dropped with
 * the calls when it is not; offers and candidates are not kept (see RENEGOTIATED). Every server
 * frame is dispatched as a CustomEvent named by its `type`, plus `join-failed`, `reconnecting` and
 * `closed` (final).
 */
export class SignalingClient extends EventTarget {
  #url;
  #request = {};
  #socket = null;
  #joined = false;
  #resuming = false;
  #stopped = false;
  #token = null;
  #retries = 0;
  #retryTimer = 0;
  #heartbeat = new Heartbeat();
  /** Messages sent while reconnecting: they go out, in order, once the seat is resumed. */
  #pending = [];
  /** Left while reconnecting: the seat is resumed only to be left. */
  #leaving = false;
  /** What went out on the latest resume from #pending (the server's `joined` was written before it read them). */
  resent = [];

  constructor(url = signalUrl()) {
    super();
    this.#url = url;
  }

  get resumeToken() {
    return this.#token;
  }

  /** Opens the socket and joins: `request` is `{room?, name?, password?, token?}`. */
  connect(request) {
    this.#request = request;
    this.#open();
  }

  /**
   * Sends one message once the room has been joined: at once, or, while the socket reconnects to
   * resume the seat, when it has (but offers and candidates). Returns false if it is dropped.
   */
  send(message) {
    if (this.#joined && this.#socket?.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify(message));
      return true;
    }
    if (this.#token !== null && !this.#stopped && !RENEGOTIATED.has(message.type) && this.#pending.length < MAX_PENDING) {
      this.#pending.push(message);
      return true;
    }
    return false;
  }

  /**
   * Leaves the room, then closes. While reconnecting the seat is still ours on the server: the client goes on
   * reconnecting by itself, resumes the seat only to leave it and closes, so that the others hear we left (not,
   * after the grace, that we were disconnected) and the seat is free. Its owner no longer listens.
   */
  leave() {
    const reconnecting = !this.#joined && this.#token !== null && !this.#stopped;
    if (!reconnecting) {
      this.send({ type: 'leave' });
      this.close();
      return;
    }
    this.#leaving = true;
  }

  /**
   * For tests: the socket goes away under us as on a network loss found by the heartbeat; the
   * server only sees the connection drop, and the client reconnects and resumes by itself.
   */
  simulateNetworkLoss() {
    this.#lost();
  }

  close() {
    this.#leaving = false;
    this.#stopped = true;
    this.#joined = false;
    this.#pending = [];
    clearTimeout(this.#retryTimer);
    this.#heartbeat.stop();
    this.#socket?.close(1000);
  }

  #open() {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    this.#resuming = this.#token !== null;
    socket.onopen = () => socket.send(JSON.stringify(this.#joinMessage()));
    socket.onmessage = (event) => socket === this.#socket && this.#receive(event.data);
    socket.onclose = (event) => socket === this.#socket && this.#dropped(event.code);
  }

  #joinMessage() {
    if (this.#resuming) {
      return { type: 'join', resume: this.#token };
    }
    const { room, name, password, token } = this.#request;
    // undefined fields are left out of the JSON
    return {
      type: 'join', room: room || undefined, name: name || undefined, password: password || undefined,
      token: token || undefined,
    };
  }

  #receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    this.#heartbeat.heard();
    if (message.type === 'joined') {
      this.#onJoined(message);
    } else if (message.type === 'error' && !this.#joined) {
      this.#joinRefused(message); // before `joined` we have sent nothing but `join`
      return;
    }
    this.#emit(message.type, message);
  }

  #onJoined(message) {
    const resumed = this.#resuming;
    this.#joined = true;
    this.#resuming = false;
    this.#retries = 0;
    this.#token = message.resumeToken;
    this.#request = { ...this.#request, room: message.room }; // a server-picked room is the one to rejoin
    this.#heartbeat.start(() => this.send({ type: 'ping' }), () => this.#lost());
    const pending = this.#pending;
    this.#pending = [];
    this.resent = resumed ? pending : [];
    this.resent.forEach((kept) => this.#socket.send(JSON.stringify(kept)));
    if (this.#leaving) {
      this.#socket.send(JSON.stringify({ type: 'leave' }));
      this.close();
    }
  }

  /** Gives up on the current socket (it is dead even if the browser has not noticed) and reconnects. */
  #lost() {
    const dead = this.#socket;
    if (!dead || this.#stopped) {
      return;
    }
    this.#socket = null; // its late close event must not count twice
    dead.close(3000);
    this.#dropped(1006);
  }

  #joinRefused(message) {
    if (this.#leaving) {
      this.close(); // the seat is gone already
      return;
    }
    if (this.#resuming && message.code === 'unauthorized' && REMOVED.has(message.reason)) {
      this.close(); // kicked or the room closed while the link was down: the 4001 close never reached us
      this.#emit('closed', { code: 4001 });
      return;
    }
    if (this.#resuming && message.code === 'unauthorized') {
      this.#resuming = false; // the grace period is over: come back as a new participant
      this.#token = null; // what waits in #pending is dropped on the fresh `joined`, with the calls
      this.#socket.send(JSON.stringify(this.#joinMessage()));
      return;
    }
    this.close();
    this.#emit('join-failed', message);
  }

  #dropped(code) {
    this.#heartbeat.stop();
    this.#joined = false;
    if (this.#stopped) {
      return;
    }
    if (FINAL_CODES.has(code) || this.#token === null || this.#retries >= MAX_RETRIES) {
      this.#stopped = true;
      this.#emit('closed', { code });
      return;
    }
    const delay = Math.min(500 * 2 ** this.#retries++, 5000);
    this.#emit('reconnecting', { code, delay });
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
