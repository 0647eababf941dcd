/** The Full screen and Picture-in-picture buttons. */
import { byId } from './dom.js';

/**
 * The fullscreen and picture-in-picture buttons. Fullscreen takes the whole video stage (remote
 * tiles and the local preview); picture-in-picture floats the first remote video above other
 * windows. Each button is disabled where the browser cannot do it.
 */
export class StageModes {
  #stage;
  #video;
  #fullscreen = byId('fullscreen');
  #pip = byId('pip');

  /** video(): the remote <video> to float, or null. */
  constructor(stage, video) {
    this.#stage = stage;
    this.#video = video;
    this.#fullscreen.addEventListener('click', () => this.#toggleFullscreen());
    this.#pip.addEventListener('click', () => this.#togglePip());
    document.addEventListener('fullscreenchange', () => this.refresh());
    this.refresh();
  }

  refresh() {
    const full = document.fullscreenElement === this.#stage;
    this.#fullscreen.disabled = !document.fullscreenEnabled;
    this.#fullscreen.setAttribute('aria-pressed', String(full));
    this.#fullscreen.textContent = full ? 'Exit full screen' : 'Full screen';
    const floating = Boolean(document.pictureInPictureElement);
    this.#pip.disabled = !document.pictureInPictureEnabled || (!floating && !this.#video());
    this.#pip.setAttribute('aria-pressed', String(floating));
  }

  async #toggleFullscreen() {
    try {
      if (document.fullscreenElement) {
        await document.exitFullscreen();
      } else {
        await this.#stage.requestFullscreen();
      }
    } catch (error) {
      console.info('parley: full screen refused', error.name);
    }
    this.refresh();
  }

  async #togglePip() {
    try {
      if (document.pictureInPictureElement) {
        await document.exitPictureInPicture();
      } else {
        const video = this.#video();
        video?.addEventListener('leavepictureinpicture', () => this.refresh(), { once: true });
        await video?.requestPictureInPicture();
      }
    } catch (error) {
      console.info('parley: picture-in-picture refused', error.name);
    }
    this.refresh();
  }
}
