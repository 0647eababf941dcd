import { byId, el, emit } from './dom.js';
import { RemoteVideos } from './remote-videos.js';
import { StageModes } from './stage-modes.js';
import { durationText, mediaNoteText } from './status-text.js';

const CALL_WORDS = { incoming: 'calling you', outgoing: 'ringing', active: 'in call' };
const BUTTONS = ['call', 'hangup', 'mute', 'camera', 'share', 'leave'];

/**
 * The room screen: the share link, the video stage with the incoming and outgoing call panels,
 * the call timer and the controls. It draws what render() is given and reports clicks as events:
 * `call`, `hangup`, `accept`, `reject`, `cancel`, `mute`, `camera`, `share`, `leave`.
 */
export class CallView extends EventTarget {
  #root = byId('room-view');
  #local = byId('local');
  #remotes = new RemoteVideos(byId('remotes'));
  #incoming = byId('incoming');
  #outgoing = byId('outgoing');
  #timer = byId('timer');
  #modes = new StageModes(byId('stage'), () => this.#remotes.firstVideo());
  #since = null;
  #clock = 0;

  constructor() {
    super();
    for (const id of [...BUTTONS, 'accept', 'reject', 'cancel']) {
      byId(id).addEventListener('click', () => emit(this, id));
    }
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
    this.#outgoing.hidden = true;
    this.#local.srcObject = null;
    this.#remotes.clear();
    this.#tick(null);
    byId('participants').replaceChildren();
  }

  /** The local preview: the camera mirrored (as people expect to see themselves), a shared screen as it is. */
  showLocal(stream, { screen = false } = {}) {
    if (this.#local.srcObject !== stream) {
      this.#local.srcObject = stream;
    }
    this.#local.classList.toggle('mirrored', !screen);
    this.#local.setAttribute('aria-label', screen ? 'Your shared screen' : 'Your camera');
  }

  showRemote(peerId, stream, name) {
    this.#remotes.show(peerId, stream, name);
  }

  removeRemote(peerId) {
    this.#remotes.remove(peerId);
  }

  showStats(figures) {
    this.#remotes.setStats(figures);
    this.#modes.refresh(); // a remote picture may have appeared: picture-in-picture becomes possible
  }

  /**
   * state: {self, peers: [{id, name}], calls: CallBook.list(), media: LocalMedia.state(),
   * shortfall, online, sharing, canShare}.
   */
  render({ self, peers, calls, media, shortfall, online, sharing, canShare }) {
    const callOf = new Map(calls.map((call) => [call.peerId, call]));
    const nameOf = (id) => peers.find((peer) => peer.id === id)?.name ?? 'Someone';
    const active = calls.filter((call) => call.state === 'active');
    const callButton = byId('call');
    callButton.disabled = !online || !peers.some((peer) => !callOf.has(peer.id));
    callButton.textContent = active.length && !callButton.disabled ? 'Add everyone' : 'Call'; // brings newcomers in
    byId('hangup').disabled = !calls.some((call) => call.state !== 'incoming');
    this.#panel(this.#incoming, 'incoming-text', calls.filter((c) => c.state === 'incoming'), nameOf,
      (names) => `${names} ${names.includes(' and ') ? 'are' : 'is'} calling`, byId('accept'));
    this.#panel(this.#outgoing, 'outgoing-text', active.length ? [] : calls.filter((c) => c.state === 'outgoing'), nameOf,
      (names) => `Calling ${names}…`, byId('cancel'));
    toggleButton(byId('mute'), media.hasAudio, !media.micOn, 'Unmute', 'Mute');
    toggleButton(byId('camera'), media.hasVideo, !media.cameraOn, 'Camera on', 'Camera off');
    toggleButton(byId('share'), canShare && (active.length > 0 || sharing), sharing, 'Stop sharing', 'Share screen');
    this.#local.classList.toggle('off', !media.cameraOn && !sharing);
    const note = byId('media-note');
    note.textContent = mediaNoteText(shortfall);
    note.hidden = !note.textContent;
    active.forEach((call) => this.#remotes.ensure(call.peerId, nameOf(call.peerId)));
    this.#remotes.keep(new Set(calls.filter((c) => c.state !== 'incoming').map((c) => c.peerId)));
    this.#tick(active.length ? Math.min(...active.map((call) => call.activeAt)) : null);
    this.#modes.refresh();
    const items = peers.map((peer) => {
      const state = CALL_WORDS[callOf.get(peer.id)?.state];
      return el('li', {}, state ? `${peer.name} (${state})` : peer.name);
    });
    byId('participants').replaceChildren(el('li', { className: 'self' }, `${self?.name ?? 'You'} (you)`), ...items);
  }

  /** Shows or hides a ringing panel for `list`; it takes the focus when it appears, for the keyboard. */
  #panel(panel, textId, list, nameOf, words, focus) {
    const appearing = list.length > 0 && panel.hidden;
    panel.hidden = list.length === 0;
    if (list.length) {
      const names = list.map((call) => nameOf(call.peerId));
      byId(textId).textContent = words(names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]);
    }
    if (appearing) {
      focus.focus();
    }
  }

  /** The call timer counts from `since` (Date.now() of the first answer), hidden when null. */
  #tick(since) {
    if (since === this.#since) {
      return;
    }
    this.#since = since;
    clearInterval(this.#clock);
    this.#timer.hidden = since === null;
    if (since !== null) {
      const update = () => { this.#timer.textContent = durationText(Date.now() - since); };
      update();
      this.#clock = setInterval(update, 1000);
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
