import { Call } from './call.js';

/** Longest chat message sent or shown, in characters. */
export const CHAT_MAX = 2000;

/**
 * This participant's calls, at most one per remote peer. It turns server messages into call
 * states and user actions into signaling messages. Only an offer from a peer we have no call
 * with is an incoming call; every later offer, from either side, is renegotiation for that call.
 *
 * Group rooms are a full mesh of such calls, each its own call on the server. Being in an active
 * call means being in the room's conversation: accepting one incoming call accepts them all, an
 * incoming call while in the conversation is someone joining it and is accepted at once, and each
 * side tells the other over the data channel whom it is talking to (a `roster`), so that every
 * pair in the conversation gets connected; of the two in a pair only the impolite side calls, so
 * they never call each other at once.
 *
 * Events: `change`; `track` {peerId, stream}; `chat` {peerId, text}; `ended` {peerId, callId,
 * reason, by, wasIncoming} where `by` is `you`, `peer` or `server`.
 */
export class CallBook extends EventTarget {
  #calls = new Map();
  #deps;
  #lastRoster = '';
  /** The id of the newest call seen. */
  lastCallId = null;

  /**
   * deps: send(message), stream(), screen() (the shared screen's stream or null), polite(peerId),
   * isPeer(id) (in the room), iceServers(), reportQuality(callId, summary).
   */
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

  /** True while at least one call is active: we are in the room's conversation. */
  get inConversation() {
    return [...this.#calls.values()].some((call) => call.state === 'active');
  }

  call(peerId) {
    if (!this.#calls.has(peerId)) {
      const call = this.#add(peerId, 'outgoing', null);
      call.start(this.#deps.stream());
      this.#withScreen(call);
      this.#changed();
    }
  }

  /** Accepts every call ringing here (they are all one conversation). */
  accept() {
    this.#incoming().forEach((call) => {
      call.accept(this.#deps.stream());
      this.#withScreen(call);
    });
    this.#changed();
  }

  /** Rejects every call ringing here. */
  reject() {
    this.#incoming().forEach(({ peerId }) => {
      this.#deps.send({ type: 'reject', to: peerId });
      this.#end(peerId, 'rejected', 'you');
    });
  }

  /** Sends a chat line to everyone in the conversation; returns how many it reached. */
  sendChat(text) {
    const line = String(text).slice(0, CHAT_MAX);
    return [...this.#calls.values()].filter((call) => call.sendData({ kind: 'chat', text: line })).length;
  }

  /** After a device switch: every call sends `newTrack` instead of `oldTrack`. */
  replaceTrack(oldTrack, newTrack) {
    return Promise.all([...this.#calls.values()].map((call) => call.peer?.replaceTrack(oldTrack, newTrack)));
  }

  /** Starts (stream) or stops (null) sending the shared screen in every call. */
  setScreen(stream) {
    this.#calls.forEach((call) => (stream ? this.#withScreen(call) : call.peer?.stopScreen()));
  }

  hangup(peerId) {
    const call = this.#calls.get(peerId);
    if (call?.state === 'incoming') {
      this.#deps.send({ type: 'reject', to: peerId });
      this.#end(peerId, 'rejected', 'you');
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
      const joining = this.inConversation;
      this.#add(from, 'incoming', callId).offered(message.sdp);
      if (joining) {
        this.accept(); // someone joining the conversation we are in
      }
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
      onOpen: () => this.#sendRoster(call),
      onData: (data) => this.#received(call, data),
    });
    this.#learn(call, callId);
    this.#calls.set(peerId, call);
    return call;
  }

  #incoming() {
    return [...this.#calls.values()].filter((call) => call.state === 'incoming');
  }

  #withScreen(call) {
    const screen = this.#deps.screen();
    if (screen && call.peer) {
      call.peer.shareScreen(screen);
    }
  }

  #received(call, data) {
    if (data?.kind === 'chat' && typeof data.text === 'string') {
      const detail = { peerId: call.peerId, text: data.text.slice(0, CHAT_MAX) };
      this.dispatchEvent(new CustomEvent('chat', { detail }));
    } else if (data?.kind === 'roster' && Array.isArray(data.ids) && call.state === 'active') {
      data.ids.filter((id) => this.#deps.isPeer(id) && !this.#calls.has(id) && !this.#deps.polite(id))
        .forEach((id) => this.call(id));
    }
  }

  /** Tells one call (or all) whom we are in active calls with. */
  #sendRoster(only = null) {
    const calls = [...this.#calls.values()];
    const ids = calls.filter((c) => c.state === 'active').map((c) => c.peerId);
    (only ? [only] : calls).forEach((call) => call.sendData({ kind: 'roster', ids }));
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
    const roster = this.list().filter((c) => c.state === 'active').map((c) => c.peerId).join();
    if (roster !== this.#lastRoster) {
      this.#lastRoster = roster;
      this.#sendRoster();
    }
    this.dispatchEvent(new Event('change'));
  }
}
