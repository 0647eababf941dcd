import { Call } from './call.js';

/**
 * This participant's calls, at most one per remote peer. It turns server messages into call
 * states and user actions into signaling messages. Only an offer from a peer we have no call
 * with is an incoming call; every later offer, from either side, is renegotiation for that call.
 * Events: `change`; `track` {peerId, stream}; `ended` {peerId, callId, reason, by, wasIncoming}
 * where `by` is `you`, `peer` or `server`.
 */
export class CallBook extends EventTarget {
  #calls = new Map();
  #deps;
  /** The id of the newest call seen. */
  lastCallId = null;

  /** deps: send(message), stream(), polite(peerId), iceServers(), reportQuality(callId, summary). */
  constructor(deps) {
    super();
    this.#deps = deps;
  }

  list() {
    return [...this.#calls.values()].map((call) => call.snapshot());
  }

  /** peerId -> RTCPeerConnection of every call that has one. */
  peerConnections() {
    return new Map([...this.#calls].filter(([, call]) => call.peer).map(([id, call]) => [id, call.peer.pc]));
  }

  call(peerId) {
    if (!this.#calls.has(peerId)) {
      this.#add(peerId, 'outgoing', null).start(this.#deps.stream());
      this.#changed();
    }
  }

  accept(peerId) {
    const call = this.#calls.get(peerId);
    if (call?.state === 'incoming') {
      call.accept(this.#deps.stream());
      this.#changed();
    }
  }

  reject(peerId) {
    if (this.#calls.get(peerId)?.state === 'incoming') {
      this.#deps.send({ type: 'reject', to: peerId });
      this.#end(peerId, 'rejected', 'you');
    }
  }

  hangup(peerId) {
    const call = this.#calls.get(peerId);
    if (call?.state === 'incoming') {
      this.reject(peerId);
    } else if (call) {
      this.#deps.send({ type: 'hangup', to: peerId });
      this.#end(peerId, call.state === 'outgoing' ? 'cancelled' : 'hangup', 'you');
    }
  }

  hangupAll() {
    [...this.#calls.keys()].forEach((peerId) => this.hangup(peerId));
  }

  /** Ends a call without a word to the peer: it left, we left, or the server forgot us. */
  drop(peerId, reason) {
    this.#end(peerId, reason, 'server');
  }

  dropAll(reason) {
    [...this.#calls.keys()].forEach((peerId) => this.drop(peerId, reason));
  }

  recover() {
    this.#calls.forEach((call) => call.peer?.recover());
  }

  setIceServers(iceServers) {
    this.#calls.forEach((call) => call.peer?.setIceServers(iceServers));
  }

  /** A relayed `offer`, `answer`, `candidate`, `reject` or `hangup`, or a `call-ended`. */
  receive(message) {
    if (message.type === 'call-ended') {
      this.#serverEnded(message);
      return;
    }
    const { type, from, callId } = message;
    const call = this.#calls.get(from);
    if (call) {
      this.#learn(call, callId);
    }
    if (type === 'offer' && !call) {
      this.#add(from, 'incoming', callId).offered(message.sdp);
      this.#changed();
    } else if (type === 'offer') {
      call.offered(message.sdp);
    } else if (type === 'answer' && call?.answered(message.sdp)) {
      this.#changed();
    } else if (type === 'candidate') {
      call?.candidate(message.candidate); // no call: a straggler of one that has ended
    } else if (type === 'reject') {
      this.#end(from, 'rejected', 'peer');
    } else if (type === 'hangup') {
      this.#end(from, call?.state === 'incoming' ? 'cancelled' : 'hangup', 'peer');
    }
  }

  #serverEnded({ callId, reason }) {
    const calls = [...this.#calls.values()];
    // A caller learns the call's id only from the callee's replies; one that rang out unanswered never did.
    const unnamed = calls.filter((c) => c.callId === null && c.state === 'outgoing');
    const call = calls.find((c) => c.callId === callId) ?? (unnamed.length === 1 ? unnamed[0] : null);
    if (call) {
      this.#learn(call, callId);
      this.#end(call.peerId, reason, 'server');
    }
  }

  #add(peerId, state, callId) {
    const call = new Call(peerId, state, {
      polite: this.#deps.polite(peerId),
      iceServers: this.#deps.iceServers,
      send: (message) => this.#deps.send({ ...message, to: peerId }),
      onTrack: (stream) => this.dispatchEvent(new CustomEvent('track', { detail: { peerId, stream } })),
      onChange: () => this.#changed(),
    });
    this.#learn(call, callId);
    this.#calls.set(peerId, call);
    return call;
  }

  #learn(call, callId) {
    if (callId) {
      call.callId = callId;
      this.lastCallId = callId;
    }
  }

  async #end(peerId, reason, by) {
    const call = this.#calls.get(peerId);
    if (!call) {
      return;
    }
    this.#calls.delete(peerId);
    const { callId, state } = call;
    this.dispatchEvent(new CustomEvent('ended', { detail: { peerId, callId, reason, by, wasIncoming: state === 'incoming' } }));
    this.#changed();
    const summary = await call.close();
    if (summary && callId) {
      this.#deps.reportQuality(callId, summary);
    }
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}
