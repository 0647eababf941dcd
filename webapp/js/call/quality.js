/** Sums up a closed call's getStats() as the quality report the server stores. */
/**
 * Sums up a call from one RTCPeerConnection's getStats(), taken just before it is closed, in the
 * shape of `POST api/calls/{id}/quality`: the selected candidate pair gives the round trip, the
 * candidate type and the bytes; the inbound RTP streams give jitter and loss (with what the
 * remote side reported about ours as a fallback). Unknown values are null.
 */
export async function summarize(peer) {
  const report = await peer.pc.getStats();
  const all = [...report.values()];
  const pair = selectedPair(report, all);
  if (!pair) {
    return null; // never connected: there is nothing to report
  }
  const inbound = all.filter((s) => s.type === 'inbound-rtp');
  const remoteInbound = all.filter((s) => s.type === 'remote-inbound-rtp');
  const rtt = pair.currentRoundTripTime ?? average(remoteInbound.map((s) => s.roundTripTime));
  const jitter = max(inbound.map((s) => s.jitter)) ?? max(remoteInbound.map((s) => s.jitter));
  const seconds = peer.connectedAt === null ? 0 : (performance.now() - peer.connectedAt) / 1000;
  return {
    rttMs: milliseconds(rtt),
    jitterMs: milliseconds(jitter),
    packetsLostPct: lossPercent(inbound, remoteInbound),
    bitrateKbps: seconds > 0 && pair.bytesReceived != null ? round((pair.bytesReceived * 8) / seconds / 1000) : null,
    candidateType: report.get(pair.localCandidateId)?.candidateType ?? null,
  };
}

function selectedPair(report, all) {
  const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  return transport
    ? report.get(transport.selectedCandidatePairId)
    : all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
}

function lossPercent(inbound, remoteInbound) {
  const lost = sum(inbound.map((s) => s.packetsLost));
  const received = sum(inbound.map((s) => s.packetsReceived));
  if (lost !== null && received !== null && lost + received > 0) {
    return clamp((100 * lost) / (lost + received), 0, 100);
  }
  const fraction = average(remoteInbound.map((s) => s.fractionLost));
  return fraction === null ? null : clamp(fraction * 100, 0, 100);
}

function numbers(values) {
  return values.filter((v) => typeof v === 'number' && Number.isFinite(v));
}

function sum(values) {
  const known = numbers(values);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

function average(values) {
  const known = numbers(values);
  return known.length ? sum(known) / known.length : null;
}

function max(values) {
  const known = numbers(values);
  return known.length ? Math.max(...known) : null;
}

function milliseconds(seconds) {
  return seconds === null || seconds === undefined ? null : round(seconds * 1000);
}

function round(value) {
  return Math.round(value * 10) / 10;
}

function clamp(value, low, high) {
  return round(Math.min(high, Math.max(low, value)));
}
