// The periods of a report as the server names them (UTC), so that charts show the ones without calls too.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Longer ranges are drawn as the server gave them: a bar per hour of a year would say nothing. */
const MAX_PERIODS = 1000;

const pad = n => String(n).padStart(2, '0');
const day = t => new Date(t).toISOString().slice(0, 10);

/** ISO 8601 week of the UTC day at `t`: the week-based year and the week, as `YYYY-Www`. */
function isoWeek(t) {
  const d = new Date(t);
  const thursday = Math.floor(t / DAY_MS) * DAY_MS + (4 - (d.getUTCDay() || 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const newYear = new Date(0).setUTCFullYear(year, 0, 1); // Date.UTC would read years 0-99 as 1900-1999
  return `${year}-W${pad(Math.floor((thursday - newYear) / DAY_MS / 7) + 1)}`;
}

const STEPS = {
  hour: { start: t => Math.floor(t / HOUR_MS) * HOUR_MS, next: t => t + HOUR_MS,
    label: t => `${day(t)}T${pad(new Date(t).getUTCHours())}:00:00Z` },
  day: { start: t => Math.floor(t / DAY_MS) * DAY_MS, next: t => t + DAY_MS, label: day },
  // Weeks start on Monday; 1970-01-01 was a Thursday, so Mondays are 4 days past a multiple of 7 days.
  week: { start: t => Math.floor((t - 4 * DAY_MS) / (7 * DAY_MS)) * 7 * DAY_MS + 4 * DAY_MS, next: t => t + 7 * DAY_MS,
    label: isoWeek },
};

/** Every period's label from `from` up to `to` (ISO instants, `to` exclusive), or null when it cannot tell. */
export function periods(from, to, interval) {
  const step = STEPS[interval];
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (!step || Number.isNaN(start) || Number.isNaN(end)) {
    return null;
  }
  const labels = [];
  for (let t = step.start(start); t < end; t = step.next(t)) {
    if (labels.length === MAX_PERIODS) {
      return null;
    }
    labels.push(step.label(t));
  }
  return labels;
}

/** The report's rows with an empty row for every period in the range that had no calls. */
export function withEmptyPeriods(rows, { from, to }, interval) {
  const labels = periods(from, to, interval);
  if (!labels) {
    return rows;
  }
  const known = new Set(labels);
  if (rows.some(r => !known.has(r.period))) {
    return rows; // a row the labels do not name (it should not happen) is still shown, not lost
  }
  const byPeriod = new Map(rows.map(r => [r.period, r]));
  return labels.map(period => byPeriod.get(period) ?? {
    period, calls: 0, answered: 0, missed: 0, rejected: 0, avgDurationS: null, p95SetupMs: null,
    avgRttMs: null, avgPacketsLostPct: null, relayShare: null,
  });
}
