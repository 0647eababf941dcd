// Renders the live rooms table; every user-supplied text goes through textContent.
function cell(row, text) {
  const td = row.insertCell();
  td.textContent = text;
  return td;
}

/** `name` is what a screen reader says ("Kick Ada"); `key` finds the same button in the next rendering. */
function button(label, className, name, key, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.setAttribute('aria-label', name);
  b.dataset.key = key;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * actions: { kick(room, participantId), close(room) }. The table is drawn anew on every refresh: a button
 * that had the keyboard focus gets it back, so keyboard and screen-reader users keep their place.
 */
export function renderRooms(tbody, rooms, actions) {
  const focused = tbody.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
  tbody.replaceChildren();
  for (const room of rooms) {
    const row = tbody.insertRow();
    row.dataset.room = room.name;
    cell(row, room.name).className = 'room-name';
    cell(row, String(room.capacity));
    cell(row, room.createdAt);
    cell(row, room.callInProgress ? 'in progress' : '—');
    const list = document.createElement('ul');
    list.className = 'participants';
    for (const p of room.participants) {
      const item = document.createElement('li');
      item.dataset.participant = p.id;
      const label = document.createElement('span');
      label.className = 'participant-name';
      label.textContent = `${p.name}${p.connected ? '' : ' (dropped)'}`;
      item.append(label, ' ', button('Kick', 'kick', `Kick ${p.name} from ${room.name}`, `kick ${room.name} ${p.id}`,
        () => actions.kick(room.name, p.id)));
      list.append(item);
    }
    row.insertCell().append(list);
    row.insertCell().append(button('Close room', 'close-room', `Close room ${room.name}`, `close ${room.name}`,
      () => actions.close(room.name)));
  }
  if (focused) {
    [...tbody.querySelectorAll('button')].find(b => b.dataset.key === focused)?.focus();
  }
}
