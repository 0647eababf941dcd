/** Puts a RoomSession on screen: the lobby or the room view, the status line and the ring. */
import { bindControls } from './app-controls.js';
import { listDevices } from './call/devices.js';
import { ScreenShare } from './call/screen.js';
import { RoomSession } from './room-session.js';
import { shareLink } from './signaling/endpoints.js';
import { Ringer } from './ui/ringer.js';
import { StatusLine } from './ui/status-line.js';
import { closedText, endedText, joinErrorText, peerLeftText, statusText } from './ui/status-text.js';

/** Server errors that only mean the other side ended the call first. */
const RACES = new Set(['no-call', 'unknown-peer']);
const LOBBY_WORDS = { starting: 'Starting camera and microphone…', connecting: 'Connecting…' };

/** The session's events become what is shown and heard; clicks in the views are bound in app-controls.js. */
export class App {
  session = new RoomSession();
  ringer = new Ringer();
  status;
  #lobby;
  #view;
  #chat;
  #devices;

  constructor({ lobby, view, chat, devices, status }) {
    [this.#lobby, this.#view, this.#chat, this.#devices] = [lobby, view, chat, devices];
    this.status = new StatusLine(status);
    this.#listen();
    bindControls(this, { lobby, view, chat, devices });
    this.status.say(window.RTCPeerConnection ? 'Enter your name and a room, then press Join'
      : 'This browser cannot make video calls (no WebRTC)');
  }

  /** True while the room view (rather than the lobby) is on screen. */
  get inRoom() {
    return this.#view.visible;
  }

  /** Lists the cameras and microphones in the device pickers, with the ones in use selected. */
  async showDevices() {
    const media = this.session.media;
    const lists = await listDevices().catch(() => ({ audio: [], video: [] }));
    this.#devices.render(lists, { audio: media.deviceOf('audio'), video: media.deviceOf('video') });
  }

  /** Redraws everything from the session's current state. */
  render() {
    const { link, self, peers, calls, media, screen } = this.session;
    if (link === 'idle' && this.#view.visible) {
      this.#view.hide();
      this.#chat.clear();
      this.#lobby.show();
    }
    this.#lobby.busy(link !== 'idle');
    const list = calls.list();
    this.ringer.ring(ringFor(list));
    if (this.#view.visible) {
      this.status.say(statusText({ link, peers, calls: list, notice: this.status.notice }));
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
      this.status.say(LOBBY_WORDS[link]);
    }
  }

  #listen() {
    const { session, status } = this;
    const view = this.#view;
    session.addEventListener('change', () => this.render());
    session.addEventListener('entered', ({ detail }) => this.#enter(detail.room));
    session.addEventListener('peer-left', ({ detail: { peerId, name, reason } }) => status.peerLeft(peerId, peerLeftText(name, reason)));
    session.addEventListener('error', ({ detail }) => this.#serverError(detail));
    session.addEventListener('failed', ({ detail }) => this.#refused(detail));
    session.addEventListener('closed', ({ detail }) => status.say(closedText(detail.code, detail.wasInRoom)));
    session.stats.addEventListener('change', () => view.showStats(session.stats.current));
    const calls = session.calls;
    calls.addEventListener('track', ({ detail: { peerId, stream } }) => view.showRemote(peerId, stream, session.name(peerId)));
    calls.addEventListener('chat', ({ detail: { peerId, text } }) => this.#chat.add(session.name(peerId), text));
    calls.addEventListener('ended', ({ detail }) => {
      view.removeRemote(detail.peerId);
      status.callEnded(detail.peerId, endedText(detail, session.name(detail.peerId)));
    });
  }

  #enter(room) {
    this.status.notice = '';
    this.#devices.showError(''); // a failed switch of an earlier visit
    this.#chat.clear();
    this.#lobby.setRoom(room);
    this.#lobby.hide();
    this.#view.show(room, shareLink(room));
    history.replaceState(null, '', `?room=${encodeURIComponent(room)}`);
    this.showDevices();
  }

  #serverError({ code, message, ref }) {
    console.warn('parley: server error', code, ref, message);
    if (!RACES.has(code) && ref !== 'candidate') {
      this.status.notice = `Error: ${message || code}`;
      this.render();
    }
  }

  #refused({ error, withPassword }) {
    const text = joinErrorText(error, withPassword);
    if (error.code === 'wrong-password') {
      this.#lobby.askPassword();
    }
    this.#lobby.showError(text);
    this.status.say(text);
  }
}

/** Rings for a call ringing here; ringback for ours ringing there, unless we are already talking. */
function ringFor(list) {
  if (list.some((call) => call.state === 'incoming')) {
    return 'incoming';
  }
  const talking = list.some((call) => call.state === 'active');
  return !talking && list.some((call) => call.state === 'outgoing') ? 'outgoing' : null;
}
