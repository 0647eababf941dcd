// The busiest-rooms table, the paginated calls table and one call's detail. All values go in as text.
const PAGE_SIZE = 25;

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  row.append(td);
}

/** In UTC, as the filters and the charts are: "2026-11-23 20:15:02 UTC". */
const when = instant => (instant ? `${new Date(instant).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '');

export function rooms(list) {
  const body = document.querySelector('#rooms tbody');
  body.replaceChildren(...list.map(r => {
    const tr = document.createElement('tr');
    [r.room, r.calls, r.answered, r.avgDurationS === null ? '' : r.avgDurationS.toFixed(0), when(r.lastCallAt)]
      .forEach(v => cell(tr, String(v)));
    return tr;
  }));
}

export function calls(page, onSelect) {
  const body = document.querySelector('#calls tbody');
  body.replaceChildren(...page.items.map(c => {
    const tr = document.createElement('tr');
    tr.tabIndex = 0;
    [when(c.startedAt), c.room, c.caller.name, c.callee.name, c.status, c.endReason, c.durationS, c.setupMs]
      .forEach(v => cell(tr, v === null || v === undefined ? '' : String(v)));
    const select = () => {
      body.querySelectorAll('tr').forEach(r => r.removeAttribute('aria-selected'));
      tr.setAttribute('aria-selected', 'true');
      onSelect(c);
    };
    tr.addEventListener('click', select);
    tr.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(); } });
    return tr;
  }));
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  document.getElementById('calls-total').textContent = `(${page.total})`;
  document.getElementById('page-info').textContent = `Page ${page.page + 1} of ${pages}`;
  document.getElementById('prev').disabled = page.page === 0;
  document.getElementById('next').disabled = page.page + 1 >= pages;
}

export const pageSize = PAGE_SIZE;

export function detail(call) {
  const quality = side => {
    const q = call.quality[side];
    return q ? `RTT ${q.rttMs ?? '?'} ms, jitter ${q.jitterMs ?? '?'} ms, loss ${q.packetsLostPct ?? '?'} %, `
      + `${q.bitrateKbps ?? '?'} kbit/s, ${q.candidateType ?? '?'}` : 'not reported';
  };
  const fields = [
    ['Room', call.room], ['Caller', `${call.caller.name} (${call.caller.id})`],
    ['Callee', `${call.callee.name} (${call.callee.id})`], ['Status', call.status], ['End reason', call.endReason],
    ['Started', when(call.startedAt)], ['Answered', when(call.answeredAt)], ['Ended', when(call.endedAt)],
    ['Setup', call.setupMs === null ? '' : `${call.setupMs} ms`], ['Duration', `${call.durationS} s`],
    ['Caller browser', call.caller.userAgent], ['Callee browser', call.callee.userAgent],
    ['Caller quality', quality('caller')], ['Callee quality', quality('callee')],
  ];
  document.getElementById('detail-id').textContent = call.id;
  document.getElementById('detail').replaceChildren(...fields.flatMap(([name, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value ?? '';
    return [dt, dd];
  }));
  document.getElementById('call-detail').hidden = false;
}
