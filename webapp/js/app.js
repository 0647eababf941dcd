import { listDevices } from './call/devices.js';
import { ScreenShare } from './call/screen.js';
import { RoomSession } from './room-session.js';
import { shareLink } from './signaling/endpoints.js';
import { Ringer } from './ui/ringer.js';
import { closedText, endedText, joinErrorText, peerLeftText, statusText } from './ui/status-text.js';

/** Server errors that only mean the other side ended the call first. */
const RACES = new Set(['no-call', 'unknown-peer']);
const LOBBY_WORDS = { starting: 'Starting camera and microphone…', connecting: 'Connecting…' };

/**
 * Puts a RoomSession on screen: the lobby or the room view, and the #status line, whose last
 * notice (why a call ended, who left) stays until something newer replaces it. Clicks in the
 * views become session calls; the session's events become what is shown and heard (the ring).
 */
export class App {
  session = new RoomSession();
  ringer = new Ringer();
  #lobby;
  #view;
  #chat;
  #devices;
  #status;
  #notice = '';
  #lastEnded = { peerId: null, at: 0 };

  constructor({ lobby, view, chat, devices, status }) {
    [this.#lobby, this.#view, this.#chat, this.#devices, this.#status] = [lobby, view, chat, devices, status];
    const session = this.session;
    const calls = session.calls;
    session.addEventListener('change', () => this.#render());
    session.addEventListener('entered', ({ detail }) => this.#enter(detail.room));
    session.addEventListener('peer-left', ({ detail: { peerId, name, reason } }) => {
      const justEnded = this.#lastEnded.peerId === peerId && Date.now() - this.#lastEnded.at < 3000;
      if (!justEnded) {
        this.#notice = peerLeftText(name, reason); // else "Call ended: X left" already says it
      }
    });
    session.addEventListener('error', ({ detail }) => this.#serverError(detail));
    session.addEventListener('failed', ({ detail }) => this.#refused(detail));
    session.addEventListener('closed', ({ detail }) => this.#say(closedText(detail.code, detail.wasInRoom)));
    session.stats.addEventListener('change', () => view.showStats(session.stats.current));
    calls.addEventListener('track', ({ detail: { peerId, stream } }) => view.showRemote(peerId, stream, session.name(peerId)));
    calls.addEventListener('chat', ({ detail: { peerId, text } }) => chat.add(session.name(peerId), text));
    calls.addEventListener('ended', ({ detail }) => {
      view.removeRemote(detail.peerId);
      this.#notice = endedText(detail, session.name(detail.peerId));
      this.#lastEnded = { peerId: detail.peerId, at: Date.now() };
    });
    lobby.addEventListener('join', ({ detail }) => {
      this.ringer.unlock(); // the click that joins is what lets the page make sound
      session.join(detail);
    });
    view.addEventListener('call', () => { this.#notice = ''; session.callEveryone(); });
    view.addEventListener('hangup', () => calls.hangupAll());
    view.addEventListener('cancel', () => calls.hangupAll());
    view.addEventListener('accept', () => calls.accept());
    view.addEventListener('reject', () => calls.reject());
    view.addEventListener('mute', () => { session.media.toggleMic(); this.#render(); });
    view.addEventListener('camera', () => { session.media.toggleCamera(); this.#render(); });
    view.addEventListener('share', () => (session.screen.active ? session.screen.stop() : session.screen.start()));
    view.addEventListener('leave', () => { session.leave(); this.#say('You left the room'); });
    chat.addEventListener('send', ({ detail: { text } }) => calls.sendChat(text) && chat.add('You', text, true));
    devices.addEventListener('switch', ({ detail: { kind, deviceId } }) =>
      session.switchDevice(kind, deviceId).then(() => this.#showDevices(),
        (error) => { this.#notice = `Could not switch: ${error.name}`; this.#render(); this.#showDevices(); }));
    this.#say(window.RTCPeerConnection ? 'Enter your name and a room, then press Join'
      : 'This browser cannot make video calls (no WebRTC)');
  }

  /** A copy of what a test may want to know; changing it changes nothing. */
  snapshot() {
    const { link, room, self, peers, calls, media, screen, stats } = this.session;
    return {
      view: this.#view.visible ? 'room' : 'lobby',
      link,
      room,
      self: self && { ...self },
      peers: [...peers.values()].map((peer) => ({ ...peer })),
      calls: calls.list(),
      media: media.state(),
      sharing: screen.active,
      ringing: this.ringer.playing,
      stats: Object.fromEntries([...stats.current].map(([id, figures]) => [id, { ...figures }])),
      status: this.#status.textContent,
    };
  }

  #enter(room) {
    this.#notice = '';
    this.#chat.clear();
    this.#lobby.setRoom(room);
    this.#lobby.hide();
    this.#view.show(room, shareLink(room));
    history.replaceState(null, '', `?room=${encodeURIComponent(room)}`);
    this.#showDevices();
  }

  async #showDevices() {
    const media = this.session.media;
    const lists = await listDevices().catch(() => ({ audio: [], video: [] }));
    this.#devices.render(lists, { audio: media.deviceOf('audio'), video: media.deviceOf('video') });
  }

  #serverError({ code, message, ref }) {
    console.warn('parley: server error', code, ref, message);
    if (!RACES.has(code) && ref !== 'candidate') {
      this.#notice = `Error: ${message || code}`;
      this.#render();
    }
  }

  #refused({ error, withPassword }) {
    const text = joinErrorText(error, withPassword);
    if (error.code === 'wrong-password') {
      this.#lobby.askPassword();
    }
    this.#lobby.showError(text);
    this.#say(text);
  }

  #render() {
    const { link, self, peers, calls, media, screen } = this.session;
    if (link === 'idle' && this.#view.visible) {
      this.#view.hide();
      this.#chat.clear();
      this.#lobby.show();
    }
    this.#lobby.busy(link !== 'idle');
    const list = calls.list();
    this.ringer.ring(this.#ringFor(list));
    if (this.#view.visible) {
      this.#say(statusText({ link, peers, calls: list, notice: this.#notice }));
      this.#view.showLocal(screen.stream ?? media.stream, { screen: screen.active });
      this.#view.render({
        self,
        peers: [...peers.values()],
        calls: list,
        media: media.state(),
        shortfall: media.shortfall,
        online: link === 'joined',
        sharing: screen.active,
        canShare: ScreenShare.supported,
      });
      this.#chat.enable(list.some((call) => call.chatOpen));
    } else if (LOBBY_WORDS[link]) {
      this.#say(LOBBY_WORDS[link]);
    }
  }

  /** Rings for a call ringing here; ringback for ours ringing there, unless we are already talking. */
  #ringFor(list) {
    if (list.some((call) => call.state === 'incoming')) {
      return 'incoming';
    }
    const talking = list.some((call) => call.state === 'active');
    return !talking && list.some((call) => call.state === 'outgoing') ? 'outgoing' : null;
  }

  #say(text) {
    if (this.#status.textContent !== text) {
      this.#status.textContent = text; // only real changes, so screen readers announce each once
    }
  }
}
