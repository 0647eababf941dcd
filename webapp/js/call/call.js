/** One call with one remote peer: its state, its server id and its Peer. */
import { Peer } from './peer.js';
import { summarize } from './quality.js';

/**
 * One call with one remote peer: its state (`outgoing`: ringing there; `incoming`: ringing here;
 * `active`), the server's call id once we have heard it, and its Peer. An incoming call has no
 * Peer until it is accepted, so until then its offer and the caller's candidates are held here.
 * Once ended, nothing its connection still says or receives gets out.
 */
export class Call {
  peer = null;
  ended = false;
  #offer = null;
  /** The last offer received from the peer: a renegotiation always differs (its SDP's version rises). */
  #lastOffer = null;
  #pending = [];
  #links;

  /** When the call became active (Date.now()), for the call timer; null before. */
  activeAt = null;

  /** links: {polite, iceServers(), send(message), onTrack(stream), onChange(), onData(object), onOpen()}. */
  constructor(peerId, state, links) {
    this.peerId = peerId;
    this.state = state;
    this.callId = null;
    this.#links = links;
  }

  /** Our call, still ringing there, whose server id we have not heard: a caller learns it from the callee's replies. */
  get unheard() {
    return this.state === 'outgoing' && this.callId === null;
  }

  snapshot() {
    const { peerId, state, callId, activeAt, peer } = this;
    return {
      peerId,
      state,
      callId,
      activeAt,
      connectionState: peer ? peer.pc.connectionState : null,
      restarting: peer ? peer.restarting : false,
      chatOpen: peer?.chat.readyState === 'open',
    };
  }

  /** The peer's side of the call as last offered or set: the remote description, or the offer held unanswered. */
  remoteSdp() {
    return this.peer?.pc.remoteDescription?.sdp ?? this.#offer;
  }

  /** Sends a small object over the data channel; false if it is not open. */
  sendData(data) {
    if (this.ended || this.peer?.chat.readyState !== 'open') {
      return false;
    }
    this.peer.chat.send(JSON.stringify(data));
    return true;
  }

  /** The caller's side: the Peer's negotiationneeded sends the offer. */
  start(stream) {
    this.#connect().start(stream);
  }

  /** The callee's side: answers the held offer, then hands over the held candidates. */
  accept(stream) {
    this.state = 'active';
    this.activeAt = Date.now();
    const peer = this.#connect();
    peer.accept(this.#offer, stream);
    this.#pending.splice(0).forEach((candidate) => peer.receiveCandidate(candidate));
  }

  offered(sdp) {
    if (sdp === this.#lastOffer) {
      return; // the same offer again: the server repeats a ringing call's offer to a callee that resumes
    }
    this.#lastOffer = sdp;
    if (this.peer) {
      this.peer.receiveDescription({ type: 'offer', sdp });
    } else {
      this.#offer = sdp; // renegotiated before we answered: the newer offer replaces the older
      this.#pending = [];
    }
  }

  /** Returns true if this made the call active. */
  answered(sdp) {
    this.peer?.receiveDescription({ type: 'answer', sdp });
    return this.#activate();
  }

  candidate(candidate) {
    if (this.peer) {
      this.peer.receiveCandidate(candidate);
    } else {
      this.#pending.push(candidate);
    }
  }

  /** Ends it: the stats summary taken just before the connection closed, or null. */
  async close() {
    this.ended = true;
    if (!this.peer) {
      return null;
    }
    const summary = await summarize(this.peer).catch(() => null); // stats first: close() ends them
    this.peer.close();
    return summary;
  }

  #connect() {
    const { polite, iceServers, send, onTrack, onChange, onData, onOpen } = this.#links;
    this.peer = new Peer({
      polite,
      iceServers: iceServers(), // read now: TURN credentials may have been renewed since the call rang
      signal: (message) => {
        if (this.ended) {
          return;
        }
        const glare = message.type === 'answer' && this.#activate();
        send(message);
        if (glare) {
          // Both sides called at once and we, the polite side, answered their offer. If the server
          // counts our offer as the call's first, it waits for an answer from them: give it one.
          this.peer.renegotiate();
          onChange();
        }
      },
      onTrack: (stream) => !this.ended && onTrack(stream),
      onStateChange: () => !this.ended && onChange(),
    });
    const { chat } = this.peer;
    chat.onopen = () => !this.ended && (onOpen(), onChange());
    chat.onclose = () => !this.ended && onChange();
    chat.onmessage = ({ data }) => {
      try {
        if (!this.ended && typeof data === 'string') {
          onData(JSON.parse(data));
        }
      } catch {
        // not JSON: not from a Parley client; ignored
      }
    };
    return this.peer;
  }

  #activate() {
    const ringing = this.state === 'outgoing' && this.peer !== null;
    if (ringing) {
      this.state = 'active';
      this.activeAt = Date.now();
    }
    return ringing;
  }
}
