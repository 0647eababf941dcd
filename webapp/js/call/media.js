/** What to ask for, best first: a call never fails for want of a camera or a microphone. */
const WISHES = [{ video: true, audio: true }, { audio: true }, { video: true }];

/**
 * The local camera and microphone. If the user refuses or a device is missing it settles for
 * less (audio only, then video only, then nothing: receive-only), so joining always works.
 * Muting and the camera switch only disable tracks, so no renegotiation is needed.
 */
export class LocalMedia {
  stream = new MediaStream();

  async start() {
    if (this.stream.getTracks().length === 0) {
      this.stream = await acquire();
    }
    return this.stream;
  }

  stop() {
    for (const track of this.stream.getTracks()) {
      track.stop();
    }
    this.stream = new MediaStream();
  }

  toggleMic() {
    return toggle(this.stream.getAudioTracks());
  }

  toggleCamera() {
    return toggle(this.stream.getVideoTracks());
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
}

async function acquire() {
  const devices = navigator.mediaDevices;
  if (!devices?.getUserMedia) {
    return new MediaStream(); // not a secure context, or no media support at all
  }
  for (const constraints of WISHES) {
    try {
      return await devices.getUserMedia(constraints);
    } catch (error) {
      console.info('parley: no media for', constraints, error.name);
    }
  }
  return new MediaStream();
}

function toggle(tracks) {
  const on = !tracks.some((t) => t.enabled);
  for (const track of tracks) {
    track.enabled = on;
  }
  return on;
}
