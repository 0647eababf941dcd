/** The call controls toolbar: Call, Hang up, Mute, Camera, Share, Leave; clicks become events on the view. */
import { byId, emit } from './dom.js';

const BUTTONS = ['call', 'hangup', 'mute', 'camera', 'share', 'leave'];
/** Every button this class handles: the toolbar's and the ringing panels'. */
const ALL_BUTTONS = [...BUTTONS, 'accept', 'reject', 'cancel'];
/** Where the keyboard goes when the button it was on goes away (Accept once answered, Hang up once ended). */
const FOCUS_NEXT = ['hangup', 'call', 'leave'];

export class CallControls {
  /** Clicks on the toolbar and the ringing panels' buttons are emitted on `target` under the button's id. */
  constructor(target) {
    for (const id of ALL_BUTTONS) {
      byId(id).addEventListener('click', () => emit(target, id));
    }
  }

  /**
   * After a render: if `focused`, one of these buttons, was disabled or hidden by it, the focus moves to the next
   * that makes sense (Hang up, else Call, else Leave) instead of falling back to the page, where a keyboard or
   * screen-reader user would have to start again from the top.
   */
  keepFocus(focused) {
    const ours = focused && ALL_BUTTONS.includes(focused.id);
    // Only if the focus was lost: a ringing panel that appeared in the same render has taken it on purpose.
    const lost = [focused, document.body].includes(document.activeElement);
    if (ours && lost && !usable(focused)) {
      FOCUS_NEXT.map(byId).find(usable)?.focus();
    }
  }

  /** Enables and labels the buttons for the calls (CallBook.list()) and media (LocalMedia.state()). */
  render({ peers, calls, media, online, sharing, canShare }) {
    const called = new Set(calls.map((call) => call.peerId));
    const active = calls.some((call) => call.state === 'active');
    const callButton = byId('call');
    callButton.disabled = !online || !peers.some((peer) => !called.has(peer.id));
    callButton.textContent = active && !callButton.disabled ? 'Add everyone' : 'Call'; // brings newcomers in
    byId('hangup').disabled = !calls.some((call) => call.state !== 'incoming');
    toggleButton(byId('mute'), media.hasAudio, !media.micOn, 'Unmute', 'Mute');
    toggleButton(byId('camera'), media.hasVideo, !media.cameraOn, 'Camera on', 'Camera off');
    toggleButton(byId('share'), canShare && (active || sharing), sharing, 'Stop sharing', 'Share screen');
  }
}

function usable(button) {
  return !button.disabled && !button.closest('[hidden]');
}

function toggleButton(button, enabled, pressed, pressedLabel, label) {
  button.disabled = !enabled;
  button.setAttribute('aria-pressed', String(pressed && enabled));
  button.textContent = pressed && enabled ? pressedLabel : label;
}
