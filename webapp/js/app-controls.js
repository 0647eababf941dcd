/** What the user's clicks and keys do: the views' events become RoomSession and CallBook calls. */

/** app: the App; views: {lobby, view, chat, devices}. */
export function bindControls(app, { lobby, view, chat, devices }) {
  const { session, status } = app;
  const calls = session.calls;
  lobby.addEventListener('join', ({ detail }) => {
    app.ringer.unlock(); // the click that joins is what lets the page make sound
    session.join(detail);
  });
  view.addEventListener('call', () => { status.notice = ''; session.callEveryone(); });
  view.addEventListener('hangup', () => calls.hangupAll());
  view.addEventListener('cancel', () => calls.cancelOutgoing());
  view.addEventListener('accept', () => calls.accept());
  view.addEventListener('reject', () => calls.reject());
  view.addEventListener('mute', () => { session.media.toggleMic(); app.render(); });
  view.addEventListener('camera', () => { session.media.toggleCamera(); app.render(); });
  view.addEventListener('share', () => (session.screen.active ? session.screen.stop() : session.screen.start()));
  view.addEventListener('leave', () => { session.leave(); status.say('You left the room'); });
  chat.addEventListener('send', ({ detail: { text } }) => calls.sendChat(text) && chat.add('You', text, true));
  devices.addEventListener('switch', ({ detail: { kind, deviceId } }) =>
    session.switchDevice(kind, deviceId).then(() => devices.showError(''),
      // Beside the pickers, not in the status line, which a call's own words take over.
      (error) => devices.showError(`Could not switch to that ${kind === 'video' ? 'camera' : 'microphone'} (${error.name})`))
      .finally(() => app.showDevices()));
}
