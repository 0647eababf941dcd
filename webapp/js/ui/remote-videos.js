import { el } from './dom.js';

/**
 * The remote video tiles inside #remotes: one `<video data-peer="ID">` per peer, its name under
 * it. If the browser refuses to autoplay with sound, the video plays muted with a button to
 * turn the sound on, rather than not at all.
 */
export class RemoteVideos {
  #root;

  constructor(root) {
    this.#root = root;
  }

  show(peerId, stream, name) {
    let video = this.#video(peerId);
    if (!video) {
      video = el('video', { autoplay: true, playsInline: true });
      video.dataset.peer = peerId;
      const tile = el('figure', { className: 'tile' });
      tile.append(video, el('figcaption', {}, name));
      this.#root.append(tile);
    }
    if (video.srcObject !== stream) {
      video.srcObject = stream;
      this.#play(video);
    }
  }

  remove(peerId) {
    const video = this.#video(peerId);
    if (video) {
      video.srcObject = null;
      video.closest('.tile').remove();
    }
  }

  clear() {
    for (const video of this.#root.querySelectorAll('video')) {
      video.srcObject = null;
    }
    this.#root.replaceChildren();
  }

  #video(peerId) {
    return [...this.#root.querySelectorAll('video[data-peer]')].find((v) => v.dataset.peer === peerId) ?? null;
  }

  #play(video) {
    video.play().catch((error) => {
      if (error.name !== 'NotAllowedError') {
        return; // e.g. AbortError: a newer stream took its place
      }
      video.muted = true;
      video.play().catch(() => {});
      const button = el('button', { type: 'button', className: 'unmute' }, 'Turn sound on');
      button.addEventListener('click', () => {
        video.muted = false;
        button.remove();
      });
      video.closest('.tile').append(button);
    });
  }
}
