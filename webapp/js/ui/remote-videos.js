/** The remote video tiles: one per peer's camera and one per shared screen. */
import { el } from './dom.js';
import { linkText } from './status-text.js';

/**
 * The remote video tiles inside #remotes: one `<figure class="tile" data-peer="ID">` per peer in
 * a call (its camera, or a placeholder until media arrives), plus one `data-kind="screen"` tile
 * per screen it shares, removed when the share ends. Each caption holds the name and the live
 * connection figures. The root's `data-count` lets the layout adapt to the number of tiles. If
 * the browser refuses to autoplay with sound, the video plays muted with a button to turn the
 * sound on, rather than not at all.
 */
export class RemoteVideos {
  #root;

  constructor(root) {
    this.#root = root;
    this.#count();
  }

  /** A tile for a peer in a call, even before (or without) any media from it. */
  ensure(peerId, name) {
    return this.#tile(peerId, 'camera') ?? this.#add(peerId, 'camera', name);
  }

  show(peerId, stream, name) {
    const camera = this.ensure(peerId, name);
    const cameraStream = camera.querySelector('video').srcObject;
    const isScreen = cameraStream && cameraStream !== stream && cameraStream.getTracks().some((t) => t.readyState === 'live');
    const tile = isScreen ? this.#screenTile(peerId, stream, name) : camera;
    const video = tile.querySelector('video');
    if (video.srcObject !== stream) {
      video.srcObject = stream;
      this.#play(video);
    }
  }

  remove(peerId) {
    this.#tiles().filter((tile) => tile.dataset.peer === peerId).forEach((tile) => this.#drop(tile));
  }

  /** Only these peers keep their tiles. */
  keep(peerIds) {
    this.#tiles().filter((tile) => !peerIds.has(tile.dataset.peer)).forEach((tile) => this.#drop(tile));
  }

  clear() {
    this.#tiles().forEach((tile) => this.#drop(tile));
  }

  /** figures: Map peerId -> LinkStats figures. */
  setStats(figures) {
    for (const tile of this.#tiles().filter((t) => t.dataset.kind === 'camera')) {
      const stats = figures.get(tile.dataset.peer);
      const line = tile.querySelector('.link');
      line.textContent = stats ? linkText(stats) : '';
      line.dataset.path = stats?.path ?? '';
      line.dataset.rtt = stats?.rttMs ?? '';
      line.dataset.kbps = stats?.kbps ?? '';
    }
  }

  /** The first remote video with a picture, for picture-in-picture. */
  firstVideo() {
    return [...this.#root.querySelectorAll('video')].find((v) => v.srcObject && v.readyState >= 2) ?? null;
  }

  #screenTile(peerId, stream, name) {
    const existing = this.#tiles().find((t) => t.dataset.peer === peerId && t.dataset.stream === stream.id);
    if (existing) {
      return existing;
    }
    const tile = this.#add(peerId, 'screen', `${name}’s screen`);
    tile.dataset.stream = stream.id;
    stream.addEventListener('removetrack', () => stream.getTracks().length === 0 && this.#drop(tile));
    return tile;
  }

  #add(peerId, kind, caption) {
    const video = el('video', { autoplay: true, playsInline: true });
    video.dataset.peer = peerId;
    const tile = el('figure', { className: `tile ${kind}` });
    tile.dataset.peer = peerId;
    tile.dataset.kind = kind;
    const label = el('figcaption');
    label.append(el('span', { className: 'who' }, caption), el('span', { className: 'link' }, ''));
    tile.append(video, label);
    this.#root.append(tile);
    this.#count();
    return tile;
  }

  #drop(tile) {
    tile.querySelector('video').srcObject = null;
    tile.remove();
    this.#count();
  }

  #tile(peerId, kind) {
    return this.#tiles().find((t) => t.dataset.peer === peerId && t.dataset.kind === kind) ?? null;
  }

  #tiles() {
    return [...this.#root.querySelectorAll('figure.tile')];
  }

  #count() {
    this.#root.dataset.count = String(this.#tiles().length);
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
