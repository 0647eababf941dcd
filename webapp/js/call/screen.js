/** Screen sharing with getDisplayMedia: the shared stream, if any. */
/**
 * The screen being shared, if any. Sharing adds a track to every call, which renegotiates through
 * the server (perfect negotiation); stopping removes it again. The browser's own "Stop sharing"
 * ends the track, which counts as stopping. Events: `change`.
 */
export class ScreenShare extends EventTarget {
  stream = null;

  get active() {
    return this.stream !== null;
  }

  static get supported() {
    return Boolean(navigator.mediaDevices?.getDisplayMedia);
  }

  /** Asks the browser for a screen, window or tab; resolves to the stream, or null if the user declined. */
  async start() {
    if (this.stream) {
      return this.stream;
    }
    try {
      this.stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      console.info('parley: no screen to share', error.name);
      return null;
    }
    const [track] = this.stream.getVideoTracks();
    track.addEventListener('ended', () => this.stop());
    this.#changed();
    return this.stream;
  }

  stop() {
    if (!this.stream) {
      return;
    }
    this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.#changed();
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}
