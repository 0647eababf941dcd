import { App } from './app.js';
import { byId } from './ui/dom.js';
import { CallView } from './ui/call-view.js';
import { ChatView } from './ui/chat-view.js';
import { DeviceView } from './ui/device-view.js';
import { LobbyView } from './ui/lobby-view.js';

/** Entry point: builds the views and the app, and gives browser tests a read-only look inside. */
const app = new App({
  lobby: new LobbyView(),
  view: new CallView(),
  chat: new ChatView(),
  devices: new DeviceView(),
  status: byId('status'),
});

window.parley = Object.freeze({
  /** {view, link, room, self, peers, calls, media, sharing, ringing, stats, status}: a copy. */
  state: () => app.snapshot(),
  /** A new Map of peerId -> RTCPeerConnection, one per call that has one. */
  peers: () => app.session.calls.peerConnections(),
  get lastCallId() {
    return app.session.calls.lastCallId;
  },
  get selfId() {
    return app.session.self?.id ?? null;
  },
  /** Fault injection for browser tests: the signaling socket drops as on a network loss. */
  simulateNetworkLoss: () => app.session.simulateNetworkLoss(),
});
