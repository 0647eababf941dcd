/** Turns the server's call messages (relayed offers, answers, candidates, rejects, hangups, call-ended) into call states. */

/**
 * Only an offer from a peer we have no call with, in a call that has not ended here, is an incoming call;
 * every later offer, from either side, is renegotiation for that call. `book` is the CallBook.
 */
export function receiveCallMessage(book, message) {
  if (message.type === 'call-ended') {
    serverEnded(book, message);
    return;
  }
  const { type, from, callId } = message;
  const call = book.get(from);
  if (call && callId && call.callId !== callId && (book.hasEnded(callId) || call.callId !== null)) {
    // About another call with that peer than the one we have: a straggler of a call that ended here (the peer's
    // hang-up crossing ours, just before we called again), which must not end or renegotiate the new one.
    return;
  }
  if (call) {
    book.learn(call, callId);
  }
  if (type === 'offer' && !call) {
    if (book.fromEndedCall(from, message.sdp) && !book.hasEnded(callId)) {
      book.cancelStale(from, callId, message.sdp); // our hang-up reached the server first, which took the offer for a new call
    } else if (!book.hasEnded(callId)) {
      book.ring(from, callId, message.sdp); // else it renegotiates a call we ended: it crossed our hang-up
    }
  } else if (type === 'offer') {
    call.offered(message.sdp);
  } else if (type === 'answer' && call?.answered(message.sdp)) {
    book.changed();
  } else if (type === 'candidate') {
    call?.candidate(message.candidate); // no call: a straggler of one that has ended
  } else if (type === 'reject') {
    book.end(from, 'rejected', 'peer');
  } else if (type === 'hangup') {
    book.end(from, call?.state === 'incoming' ? 'cancelled' : 'hangup', 'peer');
  }
}

/**
 * The server ended a call (ring timeout, someone left…): find which one, even if we never heard its id.
 * A caller learns the call's id only from the callee's replies, so one that rang out unanswered is found
 * by the peer Parley names (`peer.id`), or, from a server that does not, by being the only unnamed one.
 */
function serverEnded(book, { callId, reason, peer }) {
  if (callId && book.hasEnded(callId)) {
    return; // ended here already; a new call with that peer, its id not yet heard, is not this one
  }
  const calls = book.all();
  const unnamed = calls.filter((c) => c.unheard);
  const call = calls.find((c) => c.callId === callId)
    ?? (peer
      ? calls.find((c) => c.callId === null && c.peerId === peer.id)
      : (unnamed.length === 1 ? unnamed[0] : null)); // named, it is that call or none (one we already ended)
  if (call) {
    book.learn(call, callId);
    book.end(call.peerId, reason, 'server');
  }
}
