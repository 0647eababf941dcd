/** The camera and microphone pickers. */
import { byId, el, emit } from './dom.js';

/**
 * The camera and microphone pickers. They list what the browser offers (names appear once
 * permission was given) and report `switch` {kind: 'audio'|'video', deviceId}. A switch that failed is
 * said here, beside the pickers, where it shows whatever the call is doing.
 */
export class DeviceView extends EventTarget {
  #selects = { video: byId('camera-select'), audio: byId('mic-select') };
  #error = byId('device-error');

  constructor() {
    super();
    for (const [kind, select] of Object.entries(this.#selects)) {
      select.addEventListener('change', () => emit(this, 'switch', { kind, deviceId: select.value }));
    }
  }

  /** Why the last switch failed, or '' once one succeeded. */
  showError(text) {
    this.#error.textContent = text;
    this.#error.hidden = !text;
  }

  /** lists: {audio: [{id, label}], video: [...]}; current: {audio: deviceId, video: deviceId}. */
  render(lists, current) {
    for (const [kind, select] of Object.entries(this.#selects)) {
      const options = lists[kind].map(({ id, label }) => el('option', { value: id }, label));
      select.replaceChildren(...(options.length ? options : [el('option', { value: '' }, 'None found')]));
      select.value = current[kind] ?? '';
      select.disabled = options.length < 2 || !current[kind];
    }
  }
}
