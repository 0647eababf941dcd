/** This participant's calls, at most one per remote peer: user actions and server messages become call states. */
import { Call } from './call.js';
import { CallSet, CHAT_MAX } from './call-set.js';
import { receiveCallMessage } from './call-signals.js';
import { Mesh } from './mesh.js';

/**
 * Each call is its own call on the server. Group rooms are a full mesh of them (see Mesh): accepting
 * one incoming call accepts them all, and a call arriving while we talk is someone joining.
 *
 * Events: `change`; `track` {peerId, stream}; `chat` {peerId, text}; `ended` {peerId, callId,
 * reason, by, wasIncoming} where `by` is `you`, `peer` or `server`.
 */
export class CallBook extends CallSet {
  #deps;
  #mesh;

  /**
   * deps: send(message), stream(), screen() (the shared screen's stream or null), polite(peerId),
   * isPeer(id) (in the room), iceServers(), qualityReporter() (see CallSet).
   */
  constructor(deps) {
    super(deps.qualityReporter);
    this.#deps = deps;
    this.#mesh = new Mesh({
      calls: () => this.all(),
      call: (peerId) => this.call(peerId),
      isPeer: deps.isPeer,
      polite: deps.polite,
    });
  }

  call(peerId) {
    if (!this.get(peerId)) {
      const call = this.#add(peerId, 'outgoing', null);
      call.start(this.#deps.stream());
      this.#withScreen(call);
      this.changed();
    }
  }

  /** Accepts every call ringing here (they are all one conversation). */
  accept() {
    this.#incoming().forEach((call) => {
      call.accept(this.#deps.stream());
      this.#withScreen(call);
    });
    this.changed();
  }

  /** Rejects every call ringing here. */
  reject() {
    this.#incoming().forEach(({ peerId }) => {
      this.#deps.send({ type: 'reject', to: peerId });
      this.end(peerId, 'rejected', 'you');
    });
  }

  hangup(peerId) {
    const call = this.get(peerId);
    if (call?.state === 'incoming') {
      this.#deps.send({ type: 'reject', to: peerId });
      this.end(peerId, 'rejected', 'you');
    } else if (call) {
      this.#deps.send({ type: 'hangup', to: peerId });
      this.end(peerId, call.state === 'outgoing' ? 'cancelled' : 'hangup', 'you');
    }
  }

  hangupAll() {
    this.all().forEach(({ peerId }) => this.hangup(peerId));
  }

  /** The Cancel button: our calls still ringing at the peer; a call ringing here meanwhile is left to ring. */
  cancelOutgoing() {
    this.all().filter(({ state }) => state === 'outgoing').forEach(({ peerId }) => this.hangup(peerId));
  }

  /**
   * After a resume (see CallSet.settle), what we said while the link was dead without knowing it, and which
   * the server never heard, is said again: a hang-up or rejection of a call the server still has and we ended
   * (else the call stays on there, and the peer waits on a connection we closed), and the answer to a call we
   * accepted that the server still has ringing (else it rings out as missed). `resent`: the messages the
   * signaling client sent again itself, as they were kept while it knew it was reconnecting.
   */
  settle(serverCalls, resent = []) {
    super.settle(serverCalls);
    if (!Array.isArray(serverCalls)) {
      return;
    }
    const said = (type, peerId) => resent.some((m) => m.type === type && m.to === peerId);
    serverCalls.filter((c) => typeof c?.peer?.id === 'string').forEach(({ id, status, peer, caller }) => {
      const call = this.get(peer.id);
      const theyCalled = caller?.id === peer.id;
      // No call with that peer, or only a new one of ours the server has not heard of: ended here, on there.
      const gone = !call || call.unheard;
      if (gone && this.hasEnded(id) && !said('hangup', peer.id) && !said('reject', peer.id)) {
        this.#deps.send({ type: status === 'ringing' && theyCalled ? 'reject' : 'hangup', to: peer.id });
      } else if (call?.state === 'active' && status === 'ringing' && theyCalled && !said('answer', peer.id)) {
        const answer = call.peer?.pc.localDescription;
        if (answer?.type === 'answer') {
          this.#deps.send({ type: 'answer', to: peer.id, sdp: answer.sdp });
        }
      }
    });
  }

  /** A relayed `offer`, `answer`, `candidate`, `reject` or `hangup`, or a `call-ended`. */
  receive(message) {
    receiveCallMessage(this, message);
  }

  /**
   * Ends the call the server started from an old connection's offer (see CallSet.fromEndedCall): rejected again if
   * we had rejected it, so that the caller, who never heard the first rejection, hears this one; else cancelled.
   * A later offer in it (that connection offering again) is then ignored as any of an ended call.
   */
  cancelStale(peerId, callId, sdp) {
    this.#deps.send({ type: this.rejectedSession(peerId, sdp) ? 'reject' : 'hangup', to: peerId });
    this.markEnded(callId);
  }

  /** An offer from a peer we have no call with: it rings here, unless we are talking (then it is someone joining). */
  ring(peerId, callId, sdp) {
    const joining = this.#mesh.inConversation;
    this.#add(peerId, 'incoming', callId).offered(sdp);
    if (joining) {
      this.accept();
    }
    this.changed();
  }

  /** Whom we talk to may have changed: the mesh tells the others before the page hears of it. */
  changed() {
    this.#mesh.changed();
    super.changed();
  }

  #add(peerId, state, callId) {
    const call = new Call(peerId, state, {
      polite: this.#deps.polite(peerId),
      iceServers: this.#deps.iceServers,
      send: (message) => this.#deps.send({ ...message, to: peerId }),
      onTrack: (stream) => this.dispatchEvent(new CustomEvent('track', { detail: { peerId, stream } })),
      onChange: () => this.changed(),
      onOpen: () => this.#mesh.opened(call),
      onData: (data) => this.#received(call, data),
    });
    this.learn(call, callId);
    this.put(call);
    return call;
  }

  #incoming() {
    return this.all().filter((call) => call.state === 'incoming');
  }

  #withScreen(call) {
    const screen = this.#deps.screen();
    if (screen) {
      call.peer?.shareScreen(screen);
    }
  }

  /** What the peer's page said over the data channel: a chat line, or whom it talks to. */
  #received(call, data) {
    if (data?.kind === 'chat' && typeof data.text === 'string') {
      const detail = { peerId: call.peerId, text: data.text.slice(0, CHAT_MAX) };
      this.dispatchEvent(new CustomEvent('chat', { detail }));
    } else if (data?.kind === 'roster' && Array.isArray(data.ids)) {
      this.#mesh.rosterReceived(call, data.ids);
    }
  }
}
