/**
 * The page at /__accord/: the mock's state (each table of its snapshot: users, groups, permissions,
 * tokens...) and its journal, newest first, with each request's diagnostics beside it. It polls
 * /__accord/state and /__accord/journal?after=N once a second; it needs nothing but the mock itself.
 * Everything from the mock is put in the page as text (textContent), never as markup.
 */
export function journalPage(protocol: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>accord ${protocol} mock</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 1em 2em; color: #222; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin-top: 1.5em; } h3 { font-size: 13px; margin: 1em 0 .3em; }
table { border-collapse: collapse; margin-bottom: .5em; } td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } code, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
#journal tr.diag td { background: #fff6e0; } .diagnostics { color: #8a4b00; } .status-ok { color: #17631b; } .status-bad { color: #a11; }
details summary { cursor: pointer; color: #555; } pre { white-space: pre-wrap; max-width: 60em; margin: 0; }
#layout { display: grid; grid-template-columns: minmax(20em, 1fr) minmax(30em, 2fr); gap: 2em; }
</style></head>
<body>
<h1>accord mock: ${protocol}</h1>
<p>Updated <span id="updated">never</span>. <button id="reset" type="button">Reset to the seed</button></p>
<div id="layout">
<section><h2>State</h2><div id="state"></div></section>
<section><h2>Journal</h2>
<table id="journal"><thead><tr><th>time</th><th>method</th><th>call</th><th>identity</th><th>status</th><th>ms</th><th>diagnostics</th></tr></thead><tbody></tbody></table>
</section>
</div>
<script>
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
const cellText = (v) => v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
function table(rows) {
  const t = el('table');
  const keys = [...new Set(rows.flatMap((r) => typeof r === 'object' && r !== null ? Object.keys(r) : ['value']))];
  const head = t.createTHead().insertRow();
  for (const k of keys) head.appendChild(el('th', k));
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const k of keys) tr.appendChild(el('td', cellText(typeof r === 'object' && r !== null ? r[k] : r), 'mono'));
  }
  return t;
}
function renderState(state, into) {
  into.replaceChildren();
  const scalars = [];
  for (const [key, value] of Object.entries(state ?? {})) {
    if (Array.isArray(value)) { into.appendChild(el('h3', key + ' (' + value.length + ')')); into.appendChild(value.length ? table(value) : el('p', 'none')); }
    else if (value && typeof value === 'object') { into.appendChild(el('h3', key)); renderState(value, into.appendChild(el('div'))); }
    else scalars.push({ key, value });
  }
  if (scalars.length) into.prepend(table(scalars));
}
let after = 0;
const tbody = document.querySelector('#journal tbody');
function addEntry(e) {
  const tr = document.createElement('tr');
  tr.dataset.id = e.id;
  if (e.diagnostics.length) tr.className = 'diag';
  const ok = /^(2|3)\\d\\d$|^success$|^sent$/.test(e.status);
  tr.append(el('td', e.at.slice(11, 23), 'mono'), el('td', e.transport === 'http' ? e.method : e.transport + ' ' + e.method), el('td', e.call, 'mono'),
    el('td', e.identity), el('td', e.status, ok ? 'status-ok' : 'status-bad'), el('td', e.ms));
  const d = el('td', undefined, 'diagnostics');
  for (const line of e.diagnostics) d.appendChild(el('div', line));
  const more = el('details'); more.appendChild(el('summary', 'request / response'));
  more.append(el('pre', e.request), el('hr'), el('pre', e.response));
  d.appendChild(more);
  tr.appendChild(d);
  tbody.prepend(tr);
  while (tbody.rows.length > 500) tbody.deleteRow(-1);
}
async function refresh() {
  try {
    const [state, journal] = await Promise.all([fetch('/__accord/state').then((r) => r.json()), fetch('/__accord/journal?after=' + after).then((r) => r.json())]);
    renderState(state, document.getElementById('state'));
    for (const e of journal.entries) { addEntry(e); after = e.id; }
    document.getElementById('updated').textContent = new Date().toLocaleTimeString();
  } catch (error) {
    document.getElementById('updated').textContent = 'failed: ' + error.message + ' (is the mock still running?)';
  }
}
document.getElementById('reset').onclick = () => fetch('/__accord/control/reset', { method: 'POST' }).then(refresh);
refresh();
setInterval(refresh, 1000);
</script>
</body></html>
`;
}
