// Renders the live rooms table; every user-supplied text goes through textContent.
function cell(row, text) {
  const td = row.insertCell();
  td.textContent = text;
  return td;
}

function button(label, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

/** actions: { kick(room, participantId), close(room) } */
export function renderRooms(tbody, rooms, actions) {
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
      item.append(label, ' ', button('Kick', 'kick', () => actions.kick(room.name, p.id)));
      list.append(item);
    }
    row.insertCell().append(list);
    row.insertCell().append(button('Close room', 'close-room', () => actions.close(room.name)));
  }
}
