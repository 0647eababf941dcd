/** Entry point: builds the views and the app, and installs window.parley for browser tests. */
import { App } from './app.js';
import { installTestHooks } from './test-hooks.js';
import { byId } from './ui/dom.js';
import { CallView } from './ui/call-view.js';
import { ChatView } from './ui/chat-view.js';
import { DeviceView } from './ui/device-view.js';
import { LobbyView } from './ui/lobby-view.js';

const app = new App({
  lobby: new LobbyView(),
  view: new CallView(),
  chat: new ChatView(),
  devices: new DeviceView(),
  status: byId('status'),
});
installTestHooks(app);
// Closing or reloading the tab is leaving, not a network loss: without this the server keeps the seat for the
// resume grace (a reload into a two-seat room is then refused as full) and peers see a frozen call meanwhile.
// The leave goes out on the open socket before the page is torn down. (The calls' quality reports, which wait for
// getStats, may not get out of a page going away; a page reconnecting just then holds its seat for the grace.)
addEventListener('pagehide', () => app.session.leave());
