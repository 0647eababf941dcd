// Reads the filter form into API query parameters. Dates are whole UTC days; "to" includes its day.
const value = id => document.getElementById(id).value.trim();

function dayStart(date) {
  return date ? `${date}T00:00:00Z` : '';
}

function dayAfter(date) {
  if (!date) return '';
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().replace('.000Z', 'Z');
}

export function range() {
  return { from: dayStart(value('f-from')), to: dayAfter(value('f-to')) };
}

export function callFilters() {
  return {
    ...range(),
    room: value('f-room').toLowerCase(),
    participant: value('f-participant'),
    status: value('f-status'),
    reason: value('f-reason'),
    minDurationS: value('f-min'),
  };
}

export const interval = () => value('f-interval');

/** Defaults: the last 30 days. */
export function initialise() {
  const today = new Date();
  const from = new Date(today);
  from.setUTCDate(from.getUTCDate() - 29);
  document.getElementById('f-to').value = today.toISOString().slice(0, 10);
  document.getElementById('f-from').value = from.toISOString().slice(0, 10);
}
