/** Camera and microphone access: getUserMedia with fallbacks, device lists and single-device tracks. */
/** What to ask for, best first: a call never fails for want of a camera or a microphone. */
const WISHES = [{ video: true, audio: true }, { audio: true }, { video: true }];
const BLOCKED = new Set(['NotAllowedError', 'SecurityError']);

/**
 * Camera and microphone access. `acquire()` returns {stream, shortfall}: the best stream the
 * browser would give, and what is missing from it (null when nothing is) and whether that is
 * because the user or the browser blocked it rather than because no device is there.
 */
export async function acquire() {
  const devices = navigator.mediaDevices;
  if (!devices?.getUserMedia) {
    return { stream: new MediaStream(), shortfall: { missing: 'both', blocked: true } }; // not a secure context
  }
  let blocked = false;
  for (const constraints of WISHES) {
    try {
      const stream = await devices.getUserMedia(constraints);
      return { stream, shortfall: shortfallOf(stream, blocked) };
    } catch (error) {
      blocked ||= BLOCKED.has(error.name);
      console.info('parley: no media for', constraints, error.name);
    }
  }
  return { stream: new MediaStream(), shortfall: { missing: 'both', blocked } };
}

/** One track of `kind` (audio or video) from the device `deviceId`. */
export async function deviceTrack(kind, deviceId) {
  const stream = await navigator.mediaDevices.getUserMedia({ [kind]: { deviceId: { exact: deviceId } } });
  return stream.getTracks()[0];
}

/** {audio: [{id, label}], video: [...]}: the microphones and cameras the browser lists. */
export async function listDevices() {
  const all = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  const of = (kind, word) => all.filter((d) => d.kind === kind && d.deviceId)
    .map((d, i) => ({ id: d.deviceId, label: d.label || `${word} ${i + 1}` }));
  return { audio: of('audioinput', 'Microphone'), video: of('videoinput', 'Camera') };
}

function shortfallOf(stream, blocked) {
  const audio = stream.getAudioTracks().length > 0;
  const video = stream.getVideoTracks().length > 0;
  if (audio && video) {
    return null;
  }
  return { missing: audio ? 'camera' : 'microphone', blocked };
}
