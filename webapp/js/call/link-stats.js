/** Live per-peer connection figures (path, round trip, loss, bitrate) from getStats() every 2 s. */
const EVERY_MS = 2000;

/**
 * The live connection indicator: every 2 s it reads getStats() of each call's connection and
 * keeps, per peer, {rttMs, lossPct, kbps, path} where `path` is `direct` or `relayed` (either
 * side of the selected candidate pair is a TURN relay) and loss and bitrate cover the last
 * interval. Unknown values are null. Events: `change` after each round.
 */
export class LinkStats extends EventTarget {
  #connections;
  #timer = 0;
  #last = new Map();
  current = new Map();

  /** connections(): a Map peerId -> RTCPeerConnection. */
  constructor(connections) {
    super();
    this.#connections = connections;
  }

  start() {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.#poll(), EVERY_MS);
  }

  stop() {
    clearInterval(this.#timer);
    this.#last.clear();
    this.current = new Map();
  }

  async #poll() {
    const next = new Map();
    for (const [peerId, pc] of this.#connections()) {
      if (pc.connectionState === 'closed') {
        continue;
      }
      try {
        const sample = read(await pc.getStats());
        next.set(peerId, figures(sample, this.#last.get(peerId)));
        this.#last.set(peerId, sample);
      } catch {
        // closed meanwhile
      }
    }
    [...this.#last.keys()].filter((id) => !next.has(id)).forEach((id) => this.#last.delete(id));
    this.current = next;
    this.dispatchEvent(new Event('change'));
  }
}

/** The raw counters of one getStats() report. */
function read(report) {
  const all = [...report.values()];
  const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  const pair = transport ? report.get(transport.selectedCandidatePairId)
    : all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
  const inbound = all.filter((s) => s.type === 'inbound-rtp');
  const types = pair ? [report.get(pair.localCandidateId), report.get(pair.remoteCandidateId)].map((c) => c?.candidateType) : [];
  return {
    at: performance.now(),
    rtt: pair?.currentRoundTripTime ?? null,
    bytes: pair ? (pair.bytesReceived ?? 0) + (pair.bytesSent ?? 0) : null,
    lost: inbound.reduce((sum, s) => sum + (s.packetsLost ?? 0), 0),
    received: inbound.reduce((sum, s) => sum + (s.packetsReceived ?? 0), 0),
    path: pair ? (types.includes('relay') ? 'relayed' : 'direct') : null,
  };
}

function figures(now, before) {
  const seconds = before ? (now.at - before.at) / 1000 : 0;
  const lost = before ? now.lost - before.lost : now.lost;
  const received = before ? now.received - before.received : now.received;
  return {
    rttMs: now.rtt === null ? null : Math.round(now.rtt * 1000),
    lossPct: lost + received > 0 ? Math.round((1000 * Math.max(lost, 0)) / (lost + received)) / 10 : null,
    kbps: seconds > 0 && now.bytes !== null && before.bytes !== null ? Math.round(((now.bytes - before.bytes) * 8) / seconds / 1000) : null,
    path: now.path,
  };
}
