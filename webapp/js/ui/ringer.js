/** The ring and ringback tones, made with WebAudio. */
/** Tone patterns: [frequencies in Hz, seconds on, seconds in a cycle]. */
const PATTERNS = {
  incoming: { tones: [480, 620], on: 1.0, cycle: 3.0, gain: 0.12 }, // a phone ringing here
  outgoing: { tones: [440, 480], on: 1.5, cycle: 4.0, gain: 0.05 }, // ringback: quieter, slower
};

/**
 * The ring sound, made with WebAudio oscillators (no audio file): `incoming` while a call rings
 * here, `outgoing` (ringback) while ours rings there. Browsers allow sound only after the user has
 * touched the page, so `unlock()` is called from the Join click; before that it stays silent.
 */
export class Ringer {
  #context = null;
  #nodes = [];
  #timer = 0;
  /** The pattern now playing: `incoming`, `outgoing` or null. */
  playing = null;

  unlock() {
    const Context = window.AudioContext ?? window.webkitAudioContext;
    if (!this.#context && Context) {
      this.#context = new Context();
    }
    this.#context?.resume().catch(() => {});
  }

  /** Plays `kind` (or nothing for null) until told otherwise. */
  ring(kind) {
    if (kind === this.playing) {
      return;
    }
    this.#silence();
    this.playing = kind;
    if (kind && this.#context) {
      const pattern = PATTERNS[kind];
      const burst = () => this.#burst(pattern);
      burst();
      this.#timer = setInterval(burst, pattern.cycle * 1000);
    }
  }

  #burst({ tones, on, gain }) {
    const context = this.#context;
    const start = context.currentTime;
    const volume = context.createGain();
    // short ramps: no clicks at the edges
    volume.gain.setValueAtTime(0, start);
    volume.gain.linearRampToValueAtTime(gain, start + 0.02);
    volume.gain.setValueAtTime(gain, start + on - 0.05);
    volume.gain.linearRampToValueAtTime(0, start + on);
    volume.connect(context.destination);
    const oscillators = tones.map((frequency) => {
      const oscillator = new OscillatorNode(context, { type: 'sine', frequency });
      oscillator.connect(volume);
      oscillator.start(start);
      oscillator.stop(start + on);
      return oscillator;
    });
    this.#nodes = [volume, ...oscillators];
  }

  #silence() {
    clearInterval(this.#timer);
    this.#nodes.forEach((node) => {
      try {
        node.disconnect();
      } catch {
        // already gone
      }
    });
    this.#nodes = [];
    this.playing = null;
  }
}
