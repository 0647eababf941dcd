/** The local camera and microphone: start, mute, camera off, device switch. */
import { acquire, deviceTrack } from './devices.js';

/**
 * The local camera and microphone. If the user refuses or a device is missing it settles for
 * less (audio only, then video only, then nothing: receive-only), so joining always works, and
 * `shortfall` says what is missing and why. Muting and the camera switch only disable tracks,
 * and a device switch swaps one track for another, so none of them needs renegotiation.
 */
export class LocalMedia {
  stream = new MediaStream();
  /** null, or {missing: 'camera'|'microphone'|'both', blocked: boolean} after start(). */
  shortfall = null;

  async start() {
    if (this.stream.getTracks().length === 0) {
      const { stream, shortfall } = await acquire();
      this.stream = stream;
      this.shortfall = shortfall;
    }
    return this.stream;
  }

  stop() {
    for (const track of this.stream.getTracks()) {
      track.stop();
    }
    this.stream = new MediaStream();
    this.shortfall = null;
  }

  toggleMic() {
    return toggle(this.stream.getAudioTracks());
  }

  toggleCamera() {
    return toggle(this.stream.getVideoTracks());
  }

  /** The deviceId of the track in use for `kind` (audio or video), or null. */
  deviceOf(kind) {
    return this.#track(kind)?.getSettings().deviceId ?? null;
  }

  /**
   * Opens `deviceId` for `kind` and puts its track in the stream in place of the old one, keeping
   * the mute state. Returns {oldTrack, newTrack} so the calls can swap what they send.
   */
  async switchDevice(kind, deviceId) {
    const oldTrack = this.#track(kind);
    if (oldTrack?.getSettings().deviceId === deviceId) {
      return null;
    }
    const stream = this.stream;
    const newTrack = await deviceTrack(kind, deviceId);
    if (this.stream !== stream) {
      newTrack.stop(); // stopped meanwhile (the user left): the device must not stay open
      return null;
    }
    if (oldTrack) {
      newTrack.enabled = oldTrack.enabled;
      this.stream.removeTrack(oldTrack);
      oldTrack.stop();
    }
    this.stream.addTrack(newTrack);
    return { oldTrack, newTrack };
  }

  /** `{hasAudio, hasVideo, micOn, cameraOn}` for the views. */
  state() {
    const audio = this.stream.getAudioTracks();
    const video = this.stream.getVideoTracks();
    return {
      hasAudio: audio.length > 0,
      hasVideo: video.length > 0,
      micOn: audio.some((t) => t.enabled),
      cameraOn: video.some((t) => t.enabled),
    };
  }

  #track(kind) {
    return this.stream.getTracks().find((t) => t.kind === kind) ?? null;
  }
}

function toggle(tracks) {
  const on = !tracks.some((t) => t.enabled);
  for (const track of tracks) {
    track.enabled = on;
  }
  return on;
}
