/** The call timer (#timer): counts up from when the first call was answered, hidden when none is. */
import { durationText } from './status-text.js';

export class CallTimer {
  #element;
  #since = null;
  #clock = 0;

  constructor(element) {
    this.#element = element;
  }

  /** Counts from `since` (Date.now() of the first answer); null hides it. Only a new value restarts it. */
  set(since) {
    if (since === this.#since) {
      return;
    }
    this.#since = since;
    clearInterval(this.#clock);
    this.#element.hidden = since === null;
    if (since !== null) {
      const update = () => { this.#element.textContent = durationText(Date.now() - since); };
      update();
      this.#clock = setInterval(update, 1000);
    }
  }
}
