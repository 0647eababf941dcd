/** How often a joined socket is pinged. */
const PING_MS = 4_000;
/**
 * A ping with nothing at all heard after it for this long: the socket is dead even if the browser has not noticed.
 * Under PING_MS, so that the next tick, however early the browser runs it, finds the silence.
 */
const ANSWER_MS = 3_000;

/**
 * Keeps a joined socket honest: a `ping` every 4 s, and a verdict of death when nothing at all
 * (its `pong` or any other frame) has come back within 3 s of one. A network that goes away without
 * closing the socket (a laptop waking up, a phone changing networks) is then found within about
 * 8 s, before the server's own verdict (two of its 5 s ping intervals) plus the resume grace have
 * passed, so the page resumes its seat and keeps its calls. The server's pings are WebSocket control
 * frames, which a page never sees, hence a ping of its own. A ping every 4 s, within the server's
 * 5 s interval, also spares the server its own pings to this socket (it pings only silent ones), so
 * the two heartbeats together cost the server about what its pings alone did.
 *
 * Only an unanswered ping counts, not time since the last frame: a hidden tab whose timers the
 * browser slows to one a minute still sends a ping per tick, which is answered at once.
 */
export class Heartbeat {
  #timer = 0;
  #lastHeard = 0;
  #pingedAt = -1;

  /** ping(): sends one; dead(): called once when a ping goes unanswered too long. */
  start(ping, dead) {
    this.stop();
    this.heard();
    this.#pingedAt = -1;
    this.#timer = setInterval(() => {
      const now = performance.now();
      if (this.#pingedAt >= 0 && this.#lastHeard < this.#pingedAt) {
        if (now - this.#pingedAt >= ANSWER_MS) {
          this.stop();
          dead();
        }
        return;
      }
      this.#pingedAt = now;
      ping();
    }, PING_MS);
  }

  heard() {
    this.#lastHeard = performance.now();
  }

  stop() {
    clearInterval(this.#timer);
  }
}
