/** The words of the #status line and of the lobby's errors. Names go in as text, never as markup. */

export function statusText({ link, peers, calls, notice }) {
  if (link === 'reconnecting') {
    return 'Connection lost — reconnecting…';
  }
  const name = (id) => peers.get(id)?.name ?? 'someone';
  const names = (list) => list.map((call) => name(call.peerId)).join(', ');
  const incoming = calls.find((call) => call.state === 'incoming');
  if (incoming) {
    return `Incoming call from ${name(incoming.peerId)}`;
  }
  const active = calls.filter((call) => call.state === 'active');
  if (active.length) {
    return `In call with ${names(active)}${connectionWords(active)}`;
  }
  const outgoing = calls.filter((call) => call.state === 'outgoing');
  if (outgoing.length) {
    return `Ringing… (calling ${names(outgoing)})`;
  }
  const present = [...peers.values()].map((peer) => peer.name);
  const idle = present.length
    ? `${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} here — press Call`
    : 'Waiting for someone to join';
  return notice ? `${notice}. ${idle}` : idle;
}

function connectionWords(active) {
  const states = active.map((call) => call.connectionState);
  if (active.some((call) => call.restarting)) {
    return ' (media connection lost — reconnecting…)';
  }
  if (states.includes('failed')) {
    return ' (connection failed)';
  }
  if (states.includes('disconnected')) {
    return ' (connection unstable…)';
  }
  return states.every((state) => state === 'connected') ? '' : ' (connecting…)';
}

/** Why a call ended: `reason` as in PROTOCOL.md, `by` you, peer or server. */
export function endedText({ reason, by, wasIncoming }, name) {
  if (reason === 'missed' && wasIncoming) {
    return `Missed call from ${name}`;
  }
  if (by === 'you') {
    return { rejected: 'Call ended: you rejected the call', cancelled: 'Call ended: you cancelled the call' }[reason]
      ?? 'Call ended: you hung up';
  }
  if (by === 'peer') {
    return { rejected: `Call ended: rejected by ${name}`, cancelled: `Call ended: ${name} cancelled the call` }[reason]
      ?? `Call ended: ${name} hung up`;
  }
  const words = {
    missed: `${name} did not answer`,
    disconnected: `${name} was disconnected`,
    left: `${name} left`,
    kicked: `${name} was removed from the room`,
    'room-closed': 'the room was closed',
    'server-shutdown': 'the server is shutting down',
    lost: 'your connection to the server was lost',
    away: 'it ended while your connection to the server was down',
  };
  return `Call ended: ${words[reason] ?? reason}`;
}

export function peerLeftText(name, reason) {
  return { disconnected: `${name} was disconnected`, kicked: `${name} was removed from the room` }[reason]
    ?? `${name} left`;
}

/** A refused `join`; `withPassword`: whether one was sent. */
export function joinErrorText({ code, message }, withPassword) {
  const words = {
    'wrong-password': withPassword ? 'Wrong password: try again' : 'This room is protected: enter its password',
    'room-full': 'That room is full: try again later or pick another room',
    'invalid-room': 'That is not a valid room name: use 1–64 letters, digits or dashes',
    unauthorized: 'You are not allowed to join this room',
    'rate-limited': 'Too many attempts: wait a moment and try again',
    unavailable: 'The server cannot take new calls right now: try again in a minute',
  };
  return words[code] ?? `Could not join: ${message || code}`;
}

/** The socket closed for good. */
export function closedText(code, wasInRoom) {
  const words = {
    4001: 'You were removed from the room, or the room was closed',
    4000: 'This session continued in another window',
    1008: 'The server refused the connection',
  };
  return words[code] ?? (wasInRoom ? 'Lost the connection to the server' : 'Could not reach the server');
}

/** The live figures of one connection: "direct · 12 ms · 0% loss · 1,450 kb/s". */
export function linkText({ rttMs, lossPct, kbps, path }) {
  const parts = [path ?? 'connecting'];
  if (rttMs !== null) {
    parts.push(`${rttMs} ms`);
  }
  if (lossPct !== null) {
    parts.push(`${lossPct}% loss`);
  }
  if (kbps !== null) {
    parts.push(`${kbps.toLocaleString('en')} kb/s`);
  }
  return parts.join(' · ');
}

/** Why we send less than camera and microphone (LocalMedia.shortfall), or '' if nothing is missing. */
export function mediaNoteText(shortfall) {
  if (!shortfall) {
    return '';
  }
  const why = shortfall.blocked ? 'blocked (allow it in the browser’s site settings and join again)' : 'not found';
  return {
    camera: `Camera ${why}: you are in audio only — others hear you but do not see you.`,
    microphone: `Microphone ${why}: others see you but do not hear you.`,
    both: `Camera and microphone ${shortfall.blocked ? 'blocked (allow them in the browser’s site settings and join again)' : 'not found'}: you can watch and listen, but others will neither see nor hear you.`,
  }[shortfall.missing];
}

/** mm:ss, or h:mm:ss after an hour. */
export function durationText(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, '0');
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  return h ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
