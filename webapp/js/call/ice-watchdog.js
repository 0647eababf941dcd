/** Restarts ICE on a peer connection whose media failed or stayed disconnected. */
/** How long 'disconnected' may last before we stop waiting for ICE to heal by itself. */
const PATIENCE_MS = 4000;

/**
 * Watches one RTCPeerConnection and restarts ICE when media broke: at once when the connection
 * has `failed`, after a few seconds when it stays `disconnected` (a network change: it rarely heals
 * by itself). `restartIce()` makes the Peer renegotiate with fresh ICE credentials through the
 * server; `onChange` is called so the user is told what is happening.
 */
export class IceWatchdog {
  #pc;
  #onChange;
  #timer = 0;
  #oldUfrag = null;
  restarting = false;

  constructor(pc, onChange) {
    this.#pc = pc;
    this.#onChange = onChange;
    // A restart of a connection that never left 'connected' (as in tests) fires no connectionstatechange:
    // it is over once negotiation has settled on the new ICE credentials.
    pc.addEventListener('signalingstatechange', () => {
      const renewed = pc.signalingState === 'stable' && iceUfrag(pc) !== this.#oldUfrag;
      if (this.restarting && renewed && pc.connectionState === 'connected') {
        this.restarting = false;
        this.#onChange();
      }
    });
  }

  /** Called on every connectionstatechange. */
  check() {
    const state = this.#pc.connectionState;
    clearTimeout(this.#timer);
    if (state === 'connected') {
      this.restarting = false;
    } else if (state === 'failed') {
      this.restart();
    } else if (state === 'disconnected') {
      this.#timer = setTimeout(() => this.restart(), PATIENCE_MS);
    }
  }

  stop() {
    clearTimeout(this.#timer);
  }

  /** New ICE credentials, renegotiated through the server. Browser tests call it through window.parley.restartIce(). */
  restart() {
    if (this.#pc.signalingState === 'closed') {
      return;
    }
    console.info('parley: media connection', this.#pc.connectionState, '- restarting ICE');
    this.restarting = true;
    this.#oldUfrag = iceUfrag(this.#pc);
    this.#pc.restartIce();
    this.#onChange();
    // Still broken after another round (e.g. the other side was away): try again.
    this.#timer = setTimeout(() => this.#pc.connectionState !== 'connected' && this.restart(), PATIENCE_MS * 3);
  }
}

function iceUfrag(pc) {
  return pc.localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1] ?? null;
}
