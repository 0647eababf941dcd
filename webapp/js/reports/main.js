// The report page: asks for the admin token, then loads charts, the busiest rooms and the calls table.
import { downloadCsv, getJson, token } from './api.js';
import * as charts from './charts.js';
import * as filters from './filters.js';
import * as tables from './tables.js';

const status = text => { document.getElementById('report-status').textContent = text; };
let page = 0;

async function loadCalls() {
  const result = await getJson('api/calls', { ...filters.callFilters(), page, size: tables.pageSize });
  tables.calls(result, tables.detail);
}

async function loadAll() {
  status('Loading…');
  try {
    const range = filters.range();
    const [rows, setup, duration, rooms] = await Promise.all([
      getJson('api/reports/calls', { ...range, interval: filters.interval() }),
      getJson('api/reports/distribution', { ...range, metric: 'setupMs' }),
      getJson('api/reports/distribution', { ...range, metric: 'durationS' }),
      getJson('api/reports/rooms', { ...range, limit: 10 }),
    ]);
    charts.outcomes(rows);
    charts.distribution('chart-setup', setup);
    charts.distribution('chart-duration', duration);
    charts.quality(rows);
    tables.rooms(rooms);
    await loadCalls();
    const total = rows.reduce((sum, r) => sum + r.calls, 0);
    status(`${total} calls in the selected period.`);
    document.body.dataset.loaded = 'true';
    window.parleyReports = { chartsDrawn: charts.drawn() };
  } catch (e) {
    status(`Could not load the reports: ${e.message}`);
  }
}

document.getElementById('auth').addEventListener('submit', e => {
  e.preventDefault();
  token.set(document.getElementById('token').value);
  page = 0;
  loadAll();
});
document.getElementById('filters').addEventListener('submit', e => {
  e.preventDefault();
  page = 0;
  loadAll();
});
document.getElementById('prev').addEventListener('click', () => { page = Math.max(0, page - 1); loadCalls(); });
document.getElementById('next').addEventListener('click', () => { page += 1; loadCalls(); });
document.getElementById('csv').addEventListener('click', () =>
  downloadCsv(filters.callFilters()).catch(e => status(`Could not download: ${e.message}`)));

filters.initialise();
document.getElementById('token').value = token.get();
if (token.get()) loadAll();
