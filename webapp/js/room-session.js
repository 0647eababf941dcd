/** One visit to one room, without DOM: socket, people, local media and calls. */
import { CallBook } from './call/calls.js';
import { LinkStats } from './call/link-stats.js';
import { LocalMedia } from './call/media.js';
import { ScreenShare } from './call/screen.js';
import { fetchIceServers, postQuality } from './signaling/api.js';
import { SignalingClient } from './signaling/signaling-client.js';

const CALL_MESSAGES = ['offer', 'answer', 'candidate', 'reject', 'hangup', 'call-ended'];

/**
 * One visit to one room, with no DOM: the socket, who is in the room, the local media and the
 * calls. `link` is idle, starting (media), connecting, joined or reconnecting. Events: `change`
 * whenever any of that changes; `entered` {room} on the first `joined`; `peer-left` {peerId, name,
 * reason}; `error` {code, message, ref} after joining; `failed` {error, withPassword}
 * when the join is refused; `closed` {code, wasInRoom} when the socket is gone for good.
 */
export class RoomSession extends EventTarget {
  media = new LocalMedia();
  screen = new ScreenShare();
  calls;
  stats;
  link = 'idle';
  room = null;
  self = null;
  peers = new Map();
  #client = null;
  #iceServers = [];
  #iceTimer = 0;
  #token = null;
  /** Device switches run one after another: two at once would both replace the same old track. */
  #switching = Promise.resolve();

  constructor() {
    super();
    this.calls = new CallBook({
      send: (message) => this.#client?.send(message),
      stream: () => this.media.stream,
      screen: () => this.screen.stream,
      polite: (peerId) => this.peers.get(peerId)?.polite ?? false,
      isPeer: (peerId) => this.peers.has(peerId),
      iceServers: () => this.#iceServers,
      // Reported with the token of the participant who was in the call: a failed resume makes a new participant
      // before the report goes out; a resume that succeeds meanwhile replaces the token, which then stops working.
      qualityReporter: () => {
        const selfId = this.self?.id;
        const token = this.#token;
        return (callId, summary) => {
          const current = this.self?.id === selfId ? this.#token : token;
          return current && postQuality(callId, current, summary);
        };
      },
    });
    this.calls.addEventListener('change', () => this.#emit('change'));
    this.stats = new LinkStats(() => this.calls.peerConnections());
    this.screen.addEventListener('change', () => {
      this.calls.setScreen(this.screen.stream);
      this.#emit('change');
    });
  }

  name(peerId) {
    return this.peers.get(peerId)?.name ?? 'Someone';
  }

  /** request: {room?, name?, password?, token?}; getUserMedia is asked for first, then the socket opens. */
  async join(request) {
    if (this.link !== 'idle') {
      return;
    }
    this.#setLink('starting');
    await this.media.start();
    this.#setLink('connecting');
    const client = new SignalingClient();
    this.#client = client;
    const on = (type, handler) => client.addEventListener(type, ({ detail }) => client === this.#client && handler(detail));
    CALL_MESSAGES.forEach((type) => on(type, (message) => this.calls.receive(message)));
    on('joined', (message) => this.#joined(message));
    on('peer-joined', ({ peer }) => { this.peers.set(peer.id, peer); this.#emit('change'); });
    on('peer-left', ({ peer, reason }) => this.#peerLeft(peer.id, reason));
    on('error', (error) => this.#emit('error', error));
    on('join-failed', (error) => this.#end('failed', { error, withPassword: Boolean(request.password) }));
    on('reconnecting', () => this.#setLink('reconnecting'));
    on('closed', ({ code }) => this.#end('closed', { code, wasInRoom: this.room !== null }));
    client.connect(request);
  }

  /**
   * Uses another camera or microphone in every call, without renegotiation. Switches are queued: each reads the
   * track in use only once the one before has finished, so a quick second pick cannot leave a device open.
   */
  switchDevice(kind, deviceId) {
    const run = async () => {
      if (this.link === 'idle') {
        return; // left while it waited its turn
      }
      const swapped = await this.media.switchDevice(kind, deviceId);
      if (swapped?.oldTrack) {
        await this.calls.replaceTrack(swapped.oldTrack, swapped.newTrack);
      }
      this.#emit('change');
    };
    const done = this.#switching.then(run);
    this.#switching = done.catch(() => {}); // a failed switch does not stop the next one
    return done;
  }

  /** For tests: the signaling socket drops as on a network loss; the session must resume by itself. */
  simulateNetworkLoss() {
    this.#client?.simulateNetworkLoss();
  }

  callEveryone() {
    [...this.peers.keys()].forEach((peerId) => this.calls.call(peerId));
  }

  leave() {
    this.calls.dropAll('left'); // the server ends them as `left`; each still reports its quality
    const client = this.#client;
    this.#client = null; // not closed by #end: a client reconnecting resumes the seat to leave it, then closes
    client?.leave();
    this.#end(null);
  }

  #joined(message) {
    const entering = this.room === null;
    const resumed = this.self?.id === message.self.id;
    if (this.self && !resumed) {
      this.calls.dropAll('lost'); // came back as a new participant: the old calls are gone
    }
    this.room = message.room;
    this.self = message.self;
    this.#token = message.resumeToken;
    const peers = new Map(message.peers.map((peer) => [peer.id, peer]));
    // Calls with those who left meanwhile end while their names are still known ("Bob left", not "Someone left").
    this.calls.list().filter(({ peerId }) => !peers.has(peerId)).forEach(({ peerId }) => this.calls.drop(peerId, 'left'));
    this.peers = peers;
    if (resumed) {
      this.calls.settle(message.calls, this.#client.resent);
      this.calls.recover();
    }
    this.#iceServers = message.iceServers ?? [];
    this.#refreshIceLater(message.iceTtl);
    if (entering) {
      this.stats.start();
      this.#emit('entered', { room: message.room });
    }
    this.#setLink('joined');
  }

  #peerLeft(peerId, reason) {
    const name = this.name(peerId);
    this.calls.drop(peerId, reason);
    this.peers.delete(peerId);
    this.#emit('peer-left', { peerId, name, reason });
    this.#emit('change');
  }

  /** Back to idle; then `event` (if any) tells why. */
  #end(event, detail) {
    this.#client?.close();
    this.#client = null;
    this.calls.dropAll('left');
    this.screen.stop();
    this.media.stop();
    this.stats.stop();
    clearTimeout(this.#iceTimer);
    this.room = null;
    this.self = null;
    this.peers = new Map();
    this.link = 'idle';
    if (event) {
      this.#emit(event, detail);
    }
    this.#emit('change');
  }

  /** TURN credentials expire: fetch fresh ones at 80% of their lifetime (again in a minute on failure). */
  #refreshIceLater(ttl) {
    clearTimeout(this.#iceTimer);
    if (ttl > 0) {
      const refresh = () => fetchIceServers(this.#token).then(({ iceServers, ttl: next }) => {
        this.#iceServers = iceServers;
        this.calls.setIceServers(iceServers);
        this.#refreshIceLater(next);
      }, () => this.#refreshIceLater(75));
      this.#iceTimer = setTimeout(refresh, Math.min(ttl * 800, 2 ** 31 - 1));
    }
  }

  #setLink(link) {
    this.link = link;
    this.#emit('change');
  }

  #emit(type, detail = null) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
