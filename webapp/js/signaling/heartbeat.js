/** Pings a joined socket and declares it dead after a long silence. */
const PING_MS = 20_000;
/** Nothing heard for this long (pongs included): the socket is dead even if the browser has not noticed. */
const SILENCE_MS = 50_000;

/**
 * Keeps a joined socket honest: a `ping` every 20 s, and a verdict of death when nothing at all
 * has come back for 50 s (a laptop waking up, a phone changing networks) so that reconnection
 * starts without waiting for the browser's own, much slower, timeout.
 */
export class Heartbeat {
  #timer = 0;
  #lastHeard = 0;

  /** ping(): sends one; dead(): called once when the silence is too long. */
  start(ping, dead) {
    this.stop();
    this.heard();
    this.#timer = setInterval(() => {
      if (Date.now() - this.#lastHeard > SILENCE_MS) {
        this.stop();
        dead();
      } else {
        ping();
      }
    }, PING_MS);
  }

  heard() {
    this.#lastHeard = Date.now();
  }

  stop() {
    clearInterval(this.#timer);
  }
}
