import { RoomSession } from './room-session.js';
import { shareLink } from './signaling/endpoints.js';
import { closedText, endedText, joinErrorText, peerLeftText, statusText } from './ui/status-text.js';

/** Server errors that only mean the other side ended the call first. */
const RACES = new Set(['no-call', 'unknown-peer']);
const LOBBY_WORDS = { starting: 'Starting camera and microphone…', connecting: 'Connecting…' };

/**
 * Puts a RoomSession on screen: the lobby or the room view, and the #status line, whose last
 * notice (why a call ended, who left) stays until something newer replaces it. Clicks in the
 * views become session calls; the session's events become what is shown.
 */
export class App {
  session = new RoomSession();
  #lobby;
  #view;
  #status;
  #notice = '';
  #lastEnded = { peerId: null, at: 0 };

  constructor({ lobby, view, status }) {
    this.#lobby = lobby;
    this.#view = view;
    this.#status = status;
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
    calls.addEventListener('track', ({ detail: { peerId, stream } }) => view.showRemote(peerId, stream, session.name(peerId)));
    calls.addEventListener('ended', ({ detail }) => {
      view.removeRemote(detail.peerId);
      this.#notice = endedText(detail, session.name(detail.peerId));
      this.#lastEnded = { peerId: detail.peerId, at: Date.now() };
    });
    lobby.addEventListener('join', ({ detail }) => session.join(detail));
    view.addEventListener('call', () => { this.#notice = ''; session.callEveryone(); });
    view.addEventListener('hangup', () => calls.hangupAll());
    view.addEventListener('accept', ({ detail }) => calls.accept(detail));
    view.addEventListener('reject', ({ detail }) => calls.reject(detail));
    view.addEventListener('mute', () => { session.media.toggleMic(); this.#render(); });
    view.addEventListener('camera', () => { session.media.toggleCamera(); this.#render(); });
    view.addEventListener('leave', () => { session.leave(); this.#say('You left the room'); });
    this.#say(window.RTCPeerConnection ? 'Enter your name and a room, then press Join'
      : 'This browser cannot make video calls (no WebRTC)');
  }

  /** A copy of what a test may want to know; changing it changes nothing. */
  snapshot() {
    const { link, room, self, peers, calls, media } = this.session;
    return {
      view: this.#view.visible ? 'room' : 'lobby',
      link,
      room,
      self: self && { ...self },
      peers: [...peers.values()].map((peer) => ({ ...peer })),
      calls: calls.list(),
      media: media.state(),
      status: this.#status.textContent,
    };
  }

  #enter(room) {
    this.#notice = '';
    this.#lobby.setRoom(room);
    this.#lobby.hide();
    this.#view.show(room, shareLink(room));
    this.#view.showLocal(this.session.media.stream);
    history.replaceState(null, '', `?room=${encodeURIComponent(room)}`);
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
    const { link, self, peers, calls, media } = this.session;
    if (link === 'idle' && this.#view.visible) {
      this.#view.hide();
      this.#lobby.show();
    }
    this.#lobby.busy(link !== 'idle');
    if (this.#view.visible) {
      this.#say(statusText({ link, peers, calls: calls.list(), notice: this.#notice }));
      this.#view.render({ self, peers: [...peers.values()], calls: calls.list(), media: media.state(), online: link === 'joined' });
    } else if (LOBBY_WORDS[link]) {
      this.#say(LOBBY_WORDS[link]);
    }
  }

  #say(text) {
    if (this.#status.textContent !== text) {
      this.#status.textContent = text; // only real changes, so screen readers announce each once
    }
  }
}
