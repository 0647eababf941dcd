/** The chat panel: the log and the message form. */
import { byId, el, emit } from './dom.js';

/**
 * The chat panel: a log and a one-line form. Lines are shown as text (textContent), never
 * parsed as HTML, whoever wrote them. Reports `send` {text}; sending is possible only while a
 * data channel is open.
 */
export class ChatView extends EventTarget {
  #log = byId('chat-log');
  #input = byId('chat-input');
  #send = byId('chat-send');

  constructor() {
    super();
    byId('chat-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.#input.value.trim();
      if (text) {
        emit(this, 'send', { text });
        this.#input.value = '';
      }
    });
  }

  enable(on) {
    this.#input.disabled = !on;
    this.#send.disabled = !on;
    this.#input.placeholder = on ? 'Write a message' : 'Chat opens in a call';
  }

  /** One line: `who` is a name or 'You'. */
  add(who, text, mine = false) {
    const line = el('li', { className: mine ? 'mine' : '' });
    line.append(el('span', { className: 'who' }, `${who}: `), el('span', { className: 'text' }, text));
    this.#log.append(line);
    line.scrollIntoView({ block: 'nearest' });
  }

  clear() {
    this.#log.replaceChildren();
  }
}
