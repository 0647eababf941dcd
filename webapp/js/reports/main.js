// The report page: asks for the admin token, then loads charts, the busiest rooms and the calls table.
import { downloadCsv, getJson, token } from './api.js';
import * as charts from './charts.js';
import * as filters from './filters.js';
import { withEmptyPeriods } from './periods.js';
import * as tables from './tables.js';

const status = text => { document.getElementById('report-status').textContent = text; };
let page = 0;
/** The filters last applied: paging stays in that query, whatever has been typed in the form since. */
let applied = {};
/** Counts the loads of the calls table: an answer that a later load has overtaken is not shown. */
let loads = 0;
/** Counts the loads of the whole report likewise: filters applied twice quickly show the second's figures. */
let reports = 0;

/** Shows page `wanted` of the calls; the page number moves only once it has loaded. */
async function loadCalls(wanted) {
  const load = ++loads;
  const result = await getJson('api/calls', { ...applied, page: wanted, size: tables.pageSize });
  if (load !== loads) return;
  page = wanted;
  tables.calls(result, tables.detail);
}

async function turnPage(wanted) {
  try {
    await loadCalls(wanted);
  } catch (e) {
    status(`Could not load the calls: ${e.message}`);
  }
}

async function loadAll() {
  const report = ++reports;
  status('Loading…');
  try {
    const range = filters.range();
    const interval = filters.interval();
    applied = filters.callFilters();
    const [rows, setup, duration, rooms] = await Promise.all([
      getJson('api/reports/calls', { ...range, interval }),
      getJson('api/reports/distribution', { ...range, metric: 'setupMs' }),
      getJson('api/reports/distribution', { ...range, metric: 'durationS' }),
      getJson('api/reports/rooms', { ...range, limit: 10 }),
    ]);
    if (report !== reports) return;
    const periods = withEmptyPeriods(rows, range, interval);
    charts.outcomes(periods);
    charts.distribution('chart-setup', setup);
    charts.distribution('chart-duration', duration);
    charts.quality(periods);
    tables.rooms(rooms);
    await loadCalls(0);
    if (report !== reports) return; // overtaken while the table loaded: the later load says what is shown
    const total = rows.reduce((sum, r) => sum + r.calls, 0);
    status(`${total} calls in the selected period.`);
    document.body.dataset.loaded = 'true';
    window.parleyReports = { chartsDrawn: charts.drawn() };
  } catch (e) {
    if (report === reports) status(`Could not load the reports: ${e.message}`);
  }
}

document.getElementById('auth').addEventListener('submit', e => {
  e.preventDefault();
  token.set(document.getElementById('token').value);
  loadAll();
});
document.getElementById('filters').addEventListener('submit', e => {
  e.preventDefault();
  loadAll();
});
document.getElementById('prev').addEventListener('click', () => turnPage(Math.max(0, page - 1)));
document.getElementById('next').addEventListener('click', () => turnPage(page + 1));
/** The file holds what the table lists: filters typed but not yet applied are applied first. */
async function download() {
  if (JSON.stringify(filters.callFilters()) !== JSON.stringify(applied)) await loadAll();
  await downloadCsv(applied).catch(e => status(`Could not download: ${e.message}`));
}

document.getElementById('csv').addEventListener('click', download);

filters.initialise();
document.getElementById('token').value = token.get();
if (token.get()) loadAll();
