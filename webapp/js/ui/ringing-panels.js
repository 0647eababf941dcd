/** The incoming ("X is calling", Accept/Reject) and outgoing ("Calling X…", Cancel) panels over the stage. */
import { byId } from './dom.js';

export class RingingPanels {
  #incoming = byId('incoming');
  #outgoing = byId('outgoing');

  /** calls: CallBook.list(); nameOf(peerId). Outgoing calls show only while no call is active. */
  render(calls, nameOf) {
    const active = calls.some((call) => call.state === 'active');
    show(this.#incoming, byId('incoming-text'), calls.filter((c) => c.state === 'incoming'), nameOf,
      (names) => `${names} ${names.includes(' and ') ? 'are' : 'is'} calling`, byId('accept'));
    show(this.#outgoing, byId('outgoing-text'), active ? [] : calls.filter((c) => c.state === 'outgoing'), nameOf,
      (names) => `Calling ${names}…`, byId('cancel'));
  }

  hide() {
    this.#incoming.hidden = true;
    this.#outgoing.hidden = true;
  }
}

/** Shows or hides a ringing panel for `list`; it takes the focus when it appears, for the keyboard. */
function show(panel, text, list, nameOf, words, focus) {
  const appearing = list.length > 0 && panel.hidden;
  panel.hidden = list.length === 0;
  if (list.length) {
    const names = list.map((call) => nameOf(call.peerId));
    text.textContent = words(names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]);
  }
  if (appearing) {
    focus.focus();
  }
}
