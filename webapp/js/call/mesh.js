/** Group calls as a full mesh: keeps every pair in the room's conversation connected by a call of its own. */

/**
 * Being in an active call means being in the room's conversation. Each side tells the other over the
 * data channel whom it is talking to (a `roster`), so that every pair in the conversation gets
 * connected; of the two in a pair only the impolite side calls, so they never call each other at
 * once. An incoming call while in the conversation is someone joining it (CallBook accepts it at once).
 */
export class Mesh {
  #links;
  #lastRoster = '';

  /** links: calls() (the CallBook's calls), call(peerId), isPeer(id) (in the room), polite(peerId). */
  constructor(links) {
    this.#links = links;
  }

  /** True while at least one call is active: we are in the room's conversation. */
  get inConversation() {
    return this.#activeIds().length > 0;
  }

  /** A call's data channel opened: tell that peer whom we are talking to. */
  opened(call) {
    this.#sendRoster([call]);
  }

  /** After any change to the calls: if whom we talk to changed, tell every call. */
  changed() {
    const roster = this.#activeIds().join();
    if (roster !== this.#lastRoster) {
      this.#lastRoster = roster;
      this.#sendRoster([...this.#links.calls()]);
    }
  }

  /** A peer's roster: call those in it we have no call with yet, where we are the side that calls. */
  rosterReceived(call, ids) {
    const { calls, isPeer, polite } = this.#links;
    if (call.state === 'active') {
      const known = new Set([...calls()].map((c) => c.peerId));
      ids.filter((id) => isPeer(id) && !known.has(id) && !polite(id)).forEach((id) => this.#links.call(id));
    }
  }

  #sendRoster(recipients) {
    const ids = this.#activeIds();
    recipients.forEach((call) => call.sendData({ kind: 'roster', ids }));
  }

  #activeIds() {
    return [...this.#links.calls()].filter((call) => call.state === 'active').map((call) => call.peerId);
  }
}
