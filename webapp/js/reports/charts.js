// The report charts (Chart.js, loaded as the global Chart from its webjar). Each draw replaces the old chart.
const charts = new Map();
const COLORS = { answered: '#2f9e6b', missed: '#e8a33d', rejected: '#d9534f', other: '#8a94a6',
  rtt: '#2f5bea', loss: '#d9534f', relay: '#8e44ad', bar: '#2f5bea' };

function draw(id, config) {
  charts.get(id)?.destroy();
  config.options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options };
  charts.set(id, new Chart(document.getElementById(id), config));
}

export function outcomes(rows) {
  const series = (label, key, pick) => ({ label, backgroundColor: COLORS[key], data: rows.map(pick), stack: 'calls' });
  draw('chart-outcomes', {
    type: 'bar',
    data: {
      labels: rows.map(r => r.period),
      datasets: [
        series('Answered', 'answered', r => r.answered),
        series('Missed', 'missed', r => r.missed),
        series('Rejected', 'rejected', r => r.rejected),
        series('Other', 'other', r => r.calls - r.answered - r.missed - r.rejected),
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

export function distribution(id, report) {
  draw(id, {
    type: 'bar',
    data: {
      labels: report.buckets.map(b => b.bucket),
      datasets: [{ label: 'Answered calls', backgroundColor: COLORS.bar, data: report.buckets.map(b => b.calls) }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

export function quality(rows) {
  const line = (label, key, pick, axis) => ({
    label, borderColor: COLORS[key], backgroundColor: COLORS[key], data: rows.map(pick), yAxisID: axis, spanGaps: false, // no line across periods without calls
  });
  draw('chart-quality', {
    type: 'line',
    data: {
      labels: rows.map(r => r.period),
      datasets: [
        line('Avg. RTT (ms)', 'rtt', r => r.avgRttMs, 'ms'),
        line('Avg. loss (%)', 'loss', r => r.avgPacketsLostPct, 'pct'),
        line('Relayed via TURN (%)', 'relay', r => (r.relayShare === null ? null : r.relayShare * 100), 'pct'),
      ],
    },
    options: {
      scales: {
        ms: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'ms' } },
        pct: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: '%' } },
      },
    },
  });
}

/** For tests and screen readers: how many charts have data drawn. */
export const drawn = () => [...charts.values()].filter(c => c.data.datasets.some(d => d.data.length > 0)).length;
