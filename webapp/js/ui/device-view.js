/** The camera and microphone pickers. */
import { byId, el, emit } from './dom.js';

/**
 * The camera and microphone pickers. They list what the browser offers (names appear once
 * permission was given) and report `switch` {kind: 'audio'|'video', deviceId}.
 */
export class DeviceView extends EventTarget {
  #selects = { video: byId('camera-select'), audio: byId('mic-select') };

  constructor() {
    super();
    for (const [kind, select] of Object.entries(this.#selects)) {
      select.addEventListener('change', () => emit(this, 'switch', { kind, deviceId: select.value }));
    }
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
