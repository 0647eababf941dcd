import { byId, el, emit } from './dom.js';
import { RemoteVideos } from './remote-videos.js';

const CALL_WORDS = { incoming: 'calling you', outgoing: 'ringing', active: 'in call' };

/**
 * The room screen: the share link, the video stage, the incoming-call panel and the controls.
 * It draws what render() is given and reports clicks as events: `call`, `hangup`, `accept` and
 * `reject` (detail: the peer id), `mute`, `camera`, `leave`.
 */
export class CallView extends EventTarget {
  #root = byId('room-view');
  #local = byId('local');
  #remotes = new RemoteVideos(byId('remotes'));
  #incoming = byId('incoming');
  #incomingPeer = null;

  constructor() {
    super();
    for (const id of ['call', 'hangup', 'mute', 'camera', 'leave']) {
      byId(id).addEventListener('click', () => emit(this, id));
    }
    byId('accept').addEventListener('click', () => emit(this, 'accept', this.#incomingPeer));
    byId('reject').addEventListener('click', () => emit(this, 'reject', this.#incomingPeer));
    byId('copy-link').addEventListener('click', () => this.#copyLink());
  }

  get visible() {
    return !this.#root.hidden;
  }

  show(room, link) {
    byId('room-name').textContent = room;
    const share = byId('share-link');
    share.href = link;
    share.textContent = link;
    this.#root.hidden = false;
  }

  hide() {
    this.#root.hidden = true;
    this.#incoming.hidden = true;
    this.#local.srcObject = null;
    this.#remotes.clear();
    byId('participants').replaceChildren();
  }

  showLocal(stream) {
    this.#local.srcObject = stream;
  }

  showRemote(peerId, stream, name) {
    this.#remotes.show(peerId, stream, name);
  }

  removeRemote(peerId) {
    this.#remotes.remove(peerId);
  }

  /** state: {self, peers: [{id, name}], calls: [{peerId, state}], media: LocalMedia.state(), online}. */
  render({ self, peers, calls, media, online }) {
    const callOf = new Map(calls.map((call) => [call.peerId, call]));
    byId('call').disabled = !online || !peers.some((peer) => !callOf.has(peer.id));
    byId('hangup').disabled = !calls.some((call) => call.state !== 'incoming');
    this.#renderIncoming(calls.find((call) => call.state === 'incoming'), peers);
    toggleButton(byId('mute'), media.hasAudio, !media.micOn, 'Unmute', 'Mute');
    toggleButton(byId('camera'), media.hasVideo, !media.cameraOn, 'Camera on', 'Camera off');
    this.#local.classList.toggle('off', !media.cameraOn);
    const items = peers.map((peer) => {
      const state = CALL_WORDS[callOf.get(peer.id)?.state];
      return el('li', {}, state ? `${peer.name} (${state})` : peer.name);
    });
    byId('participants').replaceChildren(el('li', { className: 'self' }, `${self?.name ?? 'You'} (you)`), ...items);
  }

  #renderIncoming(call, peers) {
    const appearing = Boolean(call) && this.#incoming.hidden;
    this.#incomingPeer = call?.peerId ?? null;
    this.#incoming.hidden = !call;
    if (call) {
      const name = peers.find((peer) => peer.id === call.peerId)?.name ?? 'Someone';
      byId('incoming-text').textContent = `${name} is calling`;
    }
    if (appearing) {
      byId('accept').focus(); // an alert dialog takes the focus, so the keyboard can answer at once
    }
  }

  async #copyLink() {
    const button = byId('copy-link');
    const link = byId('share-link');
    try {
      await navigator.clipboard.writeText(link.href);
      button.textContent = 'Copied!';
    } catch {
      getSelection().selectAllChildren(link); // no clipboard access (e.g. plain http): select it for the user
      button.textContent = document.execCommand('copy') ? 'Copied!' : 'Press Ctrl+C';
    }
    setTimeout(() => { button.textContent = 'Copy link'; }, 2000);
  }
}

function toggleButton(button, enabled, pressed, pressedLabel, label) {
  button.disabled = !enabled;
  button.setAttribute('aria-pressed', String(pressed && enabled));
  button.textContent = pressed && enabled ? pressedLabel : label;
}
