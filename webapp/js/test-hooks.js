/** window.parley: what browser tests (ClientIT, BrowserCallIT) read from the page, and the faults they inject. */

/**
 * Tests need to see inside the page (call states, peer connections) to assert on media, so that
 * read-only look is always there. Fault injection exists because a headless browser on loopback
 * cannot drop its socket or break its media for real; it changes what the page does, so it is
 * there only when the page was opened with `?test` (read once, at load).
 */
export function installTestHooks(app) {
  const calls = app.session.calls;
  const look = {
    /** {view, link, room, self, peers, calls, media, sharing, ringing, stats, status}: a copy. */
    state: () => snapshot(app),
    /** A new Map of peerId -> RTCPeerConnection, one per call that has one. */
    peers: () => calls.peerConnections(),
    get lastCallId() {
      return calls.lastCallId;
    },
    get selfId() {
      return app.session.self?.id ?? null;
    },
  };
  const faults = {
    /** The signaling socket drops as on a network loss; the session must resume by itself. */
    simulateNetworkLoss: () => app.session.simulateNetworkLoss(),
    /** Every call restarts ICE exactly as when its media fails; returns how many did. */
    restartIce: () => calls.restartIce(),
  };
  const testing = new URLSearchParams(location.search).has('test');
  window.parley = Object.freeze(Object.defineProperties({}, {
    ...Object.getOwnPropertyDescriptors(look),
    ...(testing ? Object.getOwnPropertyDescriptors(faults) : {}),
  }));
}

/** A copy of what a test may want to know; changing it changes nothing. */
function snapshot(app) {
  const { link, room, self, peers, calls, media, screen, stats } = app.session;
  return {
    view: app.inRoom ? 'room' : 'lobby',
    link,
    room,
    self: self && { ...self },
    peers: [...peers.values()].map((peer) => ({ ...peer })),
    calls: calls.list(),
    media: media.state(),
    sharing: screen.active,
    ringing: app.ringer.playing,
    stats: Object.fromEntries([...stats.current].map(([id, figures]) => [id, { ...figures }])),
    status: app.status.text,
  };
}
