/** Small DOM helpers. Text always goes in as textContent: nothing a user typed is ever parsed as HTML. */

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`parley: #${id} is missing from the page`);
  }
  return element;
}

/** A new element with properties (className, type…) and optional text. */
export function el(tag, properties = {}, text = null) {
  const element = Object.assign(document.createElement(tag), properties);
  if (text !== null) {
    element.textContent = text;
  }
  return element;
}

/** Dispatches a CustomEvent named `type` on `target` with `detail`. */
export function emit(target, type, detail = null) {
  target.dispatchEvent(new CustomEvent(type, { detail }));
}
