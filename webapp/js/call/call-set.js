/** This participant's calls kept by peer id, and what is done to every one of them at once. */

/** Longest chat message sent or shown, in characters. */
export const CHAT_MAX = 2000;
/** How many ended calls' ids are remembered (see hasEnded). */
const ENDED_KEPT = 64;

/**
 * The bookkeeping half of CallBook: which calls exist and their server ids, what is done to all of
 * them at once, and ending one (events `ended` and `change`, then the quality report).
 */
export class CallSet extends EventTarget {
  #calls = new Map();
  #qualityReporter;
  /** Ids of the calls ended here lately, oldest first (a map, as remember keeps them). */
  #ended = new Map();
  /**
   * "<peer id> <SDP session id>" of the peer's side of the connections of calls ended here lately, oldest first,
   * each to whether we rejected that call.
   */
  #endedSessions = new Map();
  /** The id of the newest call seen. */
  lastCallId = null;

  /**
   * qualityReporter() gives, for the participant we are when a call ends, the function that posts
   * (callId, summary), the call's quality figures, once it has closed.
   */
  constructor(qualityReporter) {
    super();
    this.#qualityReporter = qualityReporter;
  }

  /** A snapshot of every call, for views and tests. */
  list() {
    return this.all().map((call) => call.snapshot());
  }

  /** peerId -> RTCPeerConnection of every call that has one. */
  peerConnections() {
    return new Map([...this.#calls].filter(([, call]) => call.peer).map(([id, call]) => [id, call.peer.pc]));
  }

  /** The call with that peer, or undefined. */
  get(peerId) {
    return this.#calls.get(peerId);
  }

  all() {
    return [...this.#calls.values()];
  }

  /** Sends a chat line to everyone in the conversation; returns how many it reached. */
  sendChat(text) {
    const line = String(text).slice(0, CHAT_MAX);
    return this.all().filter((call) => call.sendData({ kind: 'chat', text: line })).length;
  }

  /** After a device switch: every call sends `newTrack` instead of `oldTrack`. */
  replaceTrack(oldTrack, newTrack) {
    return Promise.all(this.all().map((call) => call.peer?.replaceTrack(oldTrack, newTrack)));
  }

  /** Starts (stream) or stops (null) sending the shared screen in every call. */
  setScreen(stream) {
    this.all().forEach((call) => (stream ? call.peer?.shareScreen(stream) : call.peer?.stopScreen()));
  }

  /**
   * After a resume: `serverCalls` (the resumed `joined`'s `calls`, Parley's addition) are the calls the
   * server still has. A call of ours it no longer has ended while the link was down, and the end went
   * to the dead link: it is dropped here, so that no renegotiation offer rings at the peer as a new call.
   * A call whose id we never heard (ringing there, unanswered) learns it, or, not listed, is kept: its offer
   * may have gone into the dead socket. Without the list (a server that does not send it) nothing is dropped.
   */
  settle(serverCalls) {
    if (!Array.isArray(serverCalls)) {
      return;
    }
    this.all().forEach((call) => {
      const kept = serverCalls.find((c) => c?.peer?.id === call.peerId);
      // Our call whose id we never heard may be one whose offer never reached the server: recover() offers again.
      if (call.unheard && (!kept || this.hasEnded(kept.id))) {
        return; // a call the server lists that we ended is the one before this (CallBook.settle hangs it up)
      }
      if (!kept || (call.callId !== null && call.callId !== kept.id)) {
        this.drop(call.peerId, 'away');
      } else {
        this.learn(call, kept.id);
      }
    });
  }

  /** After the signaling link came back: every call renegotiates what was lost meanwhile. */
  recover() {
    this.#calls.forEach((call) => call.peer?.recover());
  }

  /** Every call restarts ICE as if its media had failed; returns how many did (for browser tests). */
  restartIce() {
    const peers = this.all().filter((call) => call.peer).map((call) => call.peer);
    peers.forEach((peer) => peer.restartIce());
    return peers.length;
  }

  setIceServers(iceServers) {
    this.#calls.forEach((call) => call.peer?.setIceServers(iceServers));
  }

  /** Remembers the server's id for `call` once a message names it. */
  learn(call, callId) {
    if (callId) {
      call.callId = callId;
      this.lastCallId = callId;
    }
  }

  /**
   * Whether a call of that id ended here. A renegotiation offer the peer sent just before our hang-up reached the
   * server is relayed with the old call's id after we ended it: it must not ring as a new call.
   */
  hasEnded(callId) {
    return this.#ended.has(callId);
  }

  /** Counts a call as ended here (see hasEnded). */
  markEnded(callId) {
    remember(this.#ended, callId);
  }

  /**
   * Whether `sdp`, an offer from `peerId`, comes from the connection of a call that ended here, which the server
   * then took for a new call: a renegotiation offer that reached it after our hang-up, or the offer of a call we
   * rejected (or that rang out) made again by a caller that never heard so, its link having been dead. Its
   * session id (the `o=` line's) is the one a connection keeps through every renegotiation; a new call has a new one.
   */
  fromEndedCall(peerId, sdp) {
    const session = sdpSession(sdp);
    return session !== null && this.#endedSessions.has(`${peerId} ${session}`);
  }

  /** Whether the ended call `sdp` comes from (see fromEndedCall) is one we rejected. */
  rejectedSession(peerId, sdp) {
    return this.#endedSessions.get(`${peerId} ${sdpSession(sdp)}`) === true;
  }

  /** Ends a call without a word to the peer: it left, we left, or the server forgot us. */
  drop(peerId, reason) {
    this.end(peerId, reason, 'server');
  }

  dropAll(reason) {
    this.all().forEach(({ peerId }) => this.drop(peerId, reason));
  }

  /** Ends a call here, `by` you, the peer or the server; once closed, its quality figures are reported. */
  async end(peerId, reason, by) {
    const call = this.#calls.get(peerId);
    if (!call) {
      return;
    }
    this.#calls.delete(peerId);
    const { callId, state } = call;
    remember(this.#ended, callId);
    const session = sdpSession(call.remoteSdp());
    remember(this.#endedSessions, session && `${peerId} ${session}`, reason === 'rejected' && by === 'you');
    const report = this.#qualityReporter();
    this.dispatchEvent(new CustomEvent('ended', { detail: { peerId, callId, reason, by, wasIncoming: state === 'incoming' } }));
    this.changed();
    const summary = await call.close();
    if (summary && callId) {
      report(callId, summary);
    }
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }

  /** For CallBook: keeps a new call. */
  put(call) {
    this.#calls.set(call.peerId, call);
  }
}

/** Keeps `value` (if any) → `detail` in a map of its newest ENDED_KEPT entries. */
function remember(seen, value, detail = true) {
  if (value) {
    seen.set(value, detail);
    if (seen.size > ENDED_KEPT) {
      seen.delete(seen.keys().next().value);
    }
  }
}

/** The session id of an SDP's `o=` line (RFC 8866), or null. */
function sdpSession(sdp) {
  return sdp?.match(/^o=\S+ (\d+) /m)?.[1] ?? null;
}
