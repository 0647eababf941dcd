/** The #status line, a live region: what is happening now, after the latest notice (why a call ended, who left). */

/** How long after a call ended a "left the room" from the same peer adds nothing new. */
const SAME_NEWS_MS = 3000;

export class StatusLine {
  #element;
  #lastEnded = { peerId: null, at: 0 };
  /** The latest notice; it stays until something newer replaces it (or is cleared with ''). */
  notice = '';

  constructor(element) {
    this.#element = element;
  }

  get text() {
    return this.#element.textContent;
  }

  say(text) {
    if (this.#element.textContent !== text) {
      this.#element.textContent = text; // only real changes, so screen readers announce each once
    }
  }

  callEnded(peerId, text) {
    this.notice = text;
    this.#lastEnded = { peerId, at: Date.now() };
  }

  peerLeft(peerId, text) {
    const justEnded = this.#lastEnded.peerId === peerId && Date.now() - this.#lastEnded.at < SAME_NEWS_MS;
    if (!justEnded) {
      this.notice = text; // else "Call ended: X left" already says it
    }
  }
}
