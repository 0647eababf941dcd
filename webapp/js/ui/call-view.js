/** The room screen: invite link, video stage, ringing panels, call timer, controls and the people list. */
import { CallControls } from './call-controls.js';
import { CallTimer } from './call-timer.js';
import { byId, el } from './dom.js';
import { RemoteVideos } from './remote-videos.js';
import { RingingPanels } from './ringing-panels.js';
import { ShareLink } from './share-link.js';
import { StageModes } from './stage-modes.js';
import { mediaNoteText } from './status-text.js';

const CALL_WORDS = { incoming: 'calling you', outgoing: 'ringing', active: 'in call' };

/**
 * It draws what render() is given and reports clicks as events: `call`, `hangup`, `accept`,
 * `reject`, `cancel`, `mute`, `camera`, `share`, `leave`.
 */
export class CallView extends EventTarget {
  #root = byId('room-view');
  #local = byId('local');
  #remotes = new RemoteVideos(byId('remotes'));
  #panels = new RingingPanels();
  #timer = new CallTimer(byId('timer'));
  #controls = new CallControls(this);
  #shareLink = new ShareLink();
  #modes = new StageModes(byId('stage'), () => this.#remotes.firstVideo());

  get visible() {
    return !this.#root.hidden;
  }

  show(room, link) {
    byId('room-name').textContent = room;
    this.#shareLink.show(link);
    this.#root.hidden = false;
  }

  hide() {
    this.#root.hidden = true;
    this.#panels.hide();
    this.#local.srcObject = null;
    this.#remotes.clear();
    this.#timer.set(null);
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
  render(state) {
    const { self, peers, calls, media, shortfall, sharing } = state;
    const nameOf = (id) => peers.find((peer) => peer.id === id)?.name ?? 'Someone';
    const active = calls.filter((call) => call.state === 'active');
    const focused = document.activeElement;
    this.#controls.render(state);
    this.#panels.render(calls, nameOf);
    this.#controls.keepFocus(focused);
    this.#local.classList.toggle('off', !media.cameraOn && !sharing);
    const note = byId('media-note');
    note.textContent = mediaNoteText(shortfall);
    note.hidden = !note.textContent;
    active.forEach((call) => this.#remotes.ensure(call.peerId, nameOf(call.peerId)));
    this.#remotes.keep(new Set(calls.filter((c) => c.state !== 'incoming').map((c) => c.peerId)));
    this.#timer.set(active.length ? Math.min(...active.map((call) => call.activeAt)) : null);
    this.#modes.refresh();
    this.#showPeople(self, peers, calls);
  }

  /** The "In this room" list: you first, then everyone else with the state of your call with them. */
  #showPeople(self, peers, calls) {
    const callOf = new Map(calls.map((call) => [call.peerId, call]));
    const items = peers.map((peer) => {
      const state = CALL_WORDS[callOf.get(peer.id)?.state];
      return el('li', {}, state ? `${peer.name} (${state})` : peer.name);
    });
    byId('participants').replaceChildren(el('li', { className: 'self' }, `${self?.name ?? 'You'} (you)`), ...items);
  }
}
