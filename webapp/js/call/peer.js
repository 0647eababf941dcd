/** One RTCPeerConnection with perfect negotiation, a chat data channel and ICE restarts. */
import { IceWatchdog } from './ice-watchdog.js';

/**
 * A renegotiation offer (the call was set up once) unanswered this long was lost on the way: the
 * server drops what is sent to a participant whose link is down, and the sender learns nothing of it.
 */
const ANSWER_WAIT_MS = 8000;

/**
 * One RTCPeerConnection towards one remote participant, negotiated with the "perfect
 * negotiation" pattern of webrtc/samples: either side may (re)offer at any time; on a collision
 * the polite side (as the server assigned it) rolls back and answers, the impolite side ignores
 * the other's offer. Incoming descriptions and candidates are handled one at a time, in order,
 * and candidates that arrive before a remote description are held until there is one.
 * It also carries the call's data channel (`chat`, negotiated on both sides as id 0, so it is
 * part of the first offer and needs no `datachannel` event) and restarts ICE when media breaks.
 * A renegotiation offer left unanswered is rolled back and made again (see ANSWER_WAIT_MS); the
 * first offer is not, as a person has yet to accept it.
 */
export class Peer {
  #polite;
  #signal;
  #makingOffer = false;
  #ignoreOffer = false;
  #pending = [];
  #chain = Promise.resolve();
  #screenSender = null;
  #watchdog;
  #answerTimer = 0;
  /** Counts the offers made, so a timer knows whether the offer it waits on is still the latest. */
  #offers = 0;
  /** When ICE first connected (performance.now()), for the average bitrate. */
  connectedAt = null;

  /** `signal(message)` sends `{type, sdp}` or `{type: 'candidate', candidate}` to this peer. */
  constructor({ polite, iceServers, signal, onTrack, onStateChange }) {
    this.#polite = polite;
    this.#signal = signal;
    const pc = new RTCPeerConnection({ iceServers });
    this.pc = pc;
    this.chat = pc.createDataChannel('chat', { negotiated: true, id: 0 });
    this.#watchdog = new IceWatchdog(pc, () => onStateChange(pc.connectionState));
    pc.onnegotiationneeded = () => this.#offer();
    pc.onicecandidate = ({ candidate }) =>
      signal({ type: 'candidate', candidate: candidate ? candidate.toJSON() : null });
    pc.ontrack = ({ track, streams }) => onTrack(streams[0] ?? new MediaStream([track]));
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' && this.connectedAt === null) {
        this.connectedAt = performance.now();
      }
      this.#watchdog.check();
      onStateChange(pc.connectionState);
    };
  }

  /** True while an ICE restart is under way because media broke. */
  get restarting() {
    return this.#watchdog.restarting;
  }

  /** Restarts ICE the way the watchdog does when media breaks. */
  restartIce() {
    this.#watchdog.restart();
  }

  /** Sends `newTrack` where `oldTrack` was sent (a device switch): no renegotiation. */
  async replaceTrack(oldTrack, newTrack) {
    const sender = this.pc.getSenders().find((s) => s.track === oldTrack);
    if (sender) {
      await sender.replaceTrack(newTrack);
    }
  }

  /**
   * Adds the shared screen as one more video track: renegotiates (the far side sees a new stream). In turn with the
   * negotiation steps: added before an accepted offer is applied, the screen's transceiver would take the offer's
   * video section, the camera's place.
   */
  shareScreen(stream) {
    return this.#serially(() => {
      if (!this.#screenSender && this.pc.signalingState !== 'closed') {
        this.#screenSender = this.pc.addTrack(stream.getVideoTracks()[0], stream);
      }
    });
  }

  /** Takes the screen track off again: renegotiates; the camera was never interrupted. In turn, as shareScreen. */
  stopScreen() {
    return this.#serially(() => {
      if (this.#screenSender && this.pc.signalingState !== 'closed') {
        this.pc.removeTrack(this.#screenSender);
      }
      this.#screenSender = null;
    });
  }

  /** The caller's side: local tracks, plus receive-only transceivers so the offer always asks for audio and video. */
  start(stream) {
    for (const track of stream.getTracks()) {
      this.pc.addTrack(track, stream);
    }
    for (const kind of ['audio', 'video']) {
      if (!stream.getTracks().some((t) => t.kind === kind)) {
        this.pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
  }

  /** The callee's side: takes the offer first, so local tracks reuse the transceivers it created. */
  accept(sdp, stream) {
    return this.#serially(async () => {
      await this.pc.setRemoteDescription({ type: 'offer', sdp });
      for (const track of stream.getTracks()) {
        this.pc.addTrack(track, stream);
      }
      await this.#flushCandidates();
      await this.#sendLocalDescription();
    });
  }

  receiveDescription({ type, sdp }) {
    return this.#serially(async () => {
      const collision = type === 'offer' && (this.#makingOffer || this.pc.signalingState !== 'stable');
      this.#ignoreOffer = !this.#polite && collision;
      if (this.#ignoreOffer) {
        return;
      }
      await this.pc.setRemoteDescription({ type, sdp }); // rolls back our own offer when polite
      await this.#flushCandidates();
      if (type === 'offer') {
        await this.#sendLocalDescription();
      }
    });
  }

  receiveCandidate(candidate) {
    return this.#serially(async () => {
      if (this.pc.remoteDescription) {
        await this.#addCandidate(candidate);
      } else if (!this.#ignoreOffer) {
        this.#pending.push(candidate);
      }
    });
  }

  /** Makes a fresh offer once the current negotiation step is done. */
  renegotiate() {
    return this.#serially(() => this.#offer());
  }

  /** After the signaling link came back: messages sent meanwhile were lost, so renegotiate with an ICE restart. */
  recover() {
    return this.#serially(async () => {
      const stalled = this.pc.signalingState === 'have-local-offer';
      if (stalled) {
        await this.pc.setLocalDescription({ type: 'rollback' });
      }
      if (stalled || !['connected', 'completed'].includes(this.pc.iceConnectionState)) {
        this.pc.restartIce();
      }
    });
  }

  setIceServers(iceServers) {
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch (error) {
      console.warn('parley: could not update ICE servers', error);
    }
  }

  close() {
    this.#watchdog.stop();
    clearTimeout(this.#answerTimer);
    this.pc.close();
  }

  async #offer() {
    try {
      this.#makingOffer = true;
      await this.#sendLocalDescription(); // in a stable state, that is an offer
      this.#awaitAnswer();
    } catch (error) {
      console.warn('parley: offer failed', error);
    } finally {
      this.#makingOffer = false;
    }
  }

  /**
   * Without an answer in time, a renegotiation offer is rolled back and ICE restarted, which makes
   * a fresh offer: one the far side sees, or that wins or yields a collision as perfect negotiation says.
   */
  #awaitAnswer() {
    clearTimeout(this.#answerTimer);
    const offer = ++this.#offers;
    if (!this.pc.currentRemoteDescription || this.pc.signalingState !== 'have-local-offer') {
      return; // the call's first offer rings until someone answers it
    }
    // Not the SDP to tell offers apart: the browser adds the candidates it gathers to the local description.
    this.#answerTimer = setTimeout(() => this.#serially(async () => {
      if (this.pc.signalingState === 'have-local-offer' && this.#offers === offer) {
        console.info('parley: a renegotiation offer got no answer; offering again');
        await this.pc.setLocalDescription({ type: 'rollback' });
        this.pc.restartIce(); // fires negotiationneeded: a fresh offer
      }
    }), ANSWER_WAIT_MS);
  }

  /** Sets and sends the local description the signaling state calls for: an offer, or an answer. */
  async #sendLocalDescription() {
    await this.pc.setLocalDescription();
    const { type, sdp } = this.pc.localDescription;
    this.#signal({ type, sdp });
  }

  async #flushCandidates() {
    for (const candidate of this.#pending.splice(0)) {
      await this.#addCandidate(candidate);
    }
  }

  async #addCandidate(candidate) {
    try {
      await this.pc.addIceCandidate(candidate ?? undefined); // null: end of candidates
    } catch (error) {
      if (!this.#ignoreOffer && candidate) {
        console.warn('parley: candidate refused', error);
      }
    }
  }

  #serially(task) {
    this.#chain = this.#chain.then(task).catch((error) => console.warn('parley: negotiation step failed', error));
    return this.#chain;
  }
}
