/** The room's invite link and its Copy link button. */
import { byId } from './dom.js';

export class ShareLink {
  #link = byId('share-link');
  #button = byId('copy-link');

  constructor() {
    this.#button.addEventListener('click', () => this.#copy());
  }

  show(link) {
    this.#link.href = link;
    this.#link.textContent = link;
  }

  async #copy() {
    try {
      await navigator.clipboard.writeText(this.#link.href);
      this.#button.textContent = 'Copied!';
    } catch {
      getSelection().selectAllChildren(this.#link); // no clipboard access (e.g. plain http): select it for the user
      this.#button.textContent = document.execCommand('copy') ? 'Copied!' : 'Press Ctrl+C';
    }
    setTimeout(() => { this.#button.textContent = 'Copy link'; }, 2000);
  }
}
