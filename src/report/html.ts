import { CHECK_KINDS } from '../spec/check.js';
import { citationsOf } from './citations.js';
import type { TargetResults } from './results.js';

/**
 * report.html: a self-contained page (no network) with the results embedded as JSON. The matrix shows
 * methods × kinds of check; filters narrow it by level and to failures; a cell opens its checks with the
 * request sent, the response received, what the spec expected, and the reference it comes from (with the
 * upstream docs or source a reader can open). Rows and columns come in the console's order.
 */
export function renderHtml(results: readonly TargetResults[]): string {
  const withCitations = results.map((r) => ({
    ...r,
    citations: citationsOf(r.protocol, [r.reference, ...r.records.flatMap((x) => x.see)]),
  }));
  // </script> inside the data must not end the script element.
  const data = JSON.stringify(withCitations).replace(/</g, '\\u003c');
  const title = results.map((r) => r.target).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>accord report: ${escapeHtml(title)}</title>
<style>
  :root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --skip: #8c959f; --broken: #8250df; font-family: system-ui, sans-serif; }
  body { margin: 1.5rem; color: #1f2328; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  .meta { color: #59636e; margin-bottom: 1rem; }
  .filters { display: flex; gap: 1rem; align-items: center; margin: 1rem 0; flex-wrap: wrap; }
  table.matrix { border-collapse: collapse; font-size: .9rem; }
  .matrix th, .matrix td { border: 1px solid #d1d9e0; padding: .3rem .6rem; text-align: center; }
  .matrix th.method, .matrix td.method { text-align: left; font-family: ui-monospace, monospace; }
  .matrix td.cell { cursor: pointer; min-width: 4.5rem; }
  .passed { color: var(--ok); } .failed { color: var(--bad); font-weight: 600; } .below-gate { color: var(--warn); }
  .skipped { color: var(--skip); } .broken { color: var(--broken); font-weight: 600; }
  td.cell.failed { background: #ffebe9; } td.cell.broken { background: #fbefff; } td.cell.below-gate { background: #fff8c5; }
  .totals span { margin-right: 1rem; }
  #details { margin-top: 1.5rem; }
  .check { border: 1px solid #d1d9e0; border-radius: 6px; margin: .6rem 0; padding: .6rem .8rem; }
  .check h3 { font-size: 1rem; margin: 0 0 .3rem; }
  .facet { font-family: ui-monospace, monospace; font-size: .85rem; margin: .1rem 0; }
  pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; font-size: .8rem; max-height: 22rem; white-space: pre-wrap; word-break: break-all; }
  .target { margin-bottom: 2.5rem; }
  .hidden { display: none; }
  .verdict { font-size: 1.1rem; font-weight: 600; margin: .3rem 0 .6rem; }
  .cell .skipped { font-weight: normal; margin-left: .3rem; }
  .badge { font-size: .75rem; padding: 0 .35rem; border-radius: 4px; border: 1px solid currentColor; margin-left: .3rem; }
</style>
</head>
<body>
<h1>accord conformance report</h1>
<div class="filters">
  <label>gate level
    <select id="gate"><option value="must">must</option><option value="should">should</option><option value="quirk">quirk</option></select>
  </label>
  <label><input type="checkbox" id="failuresOnly"> failures only</label>
  <label>search <input type="search" id="search" placeholder="method, check id, text"></label>
</div>
<div id="targets"></div>
<div id="details"></div>
<script id="accord-data" type="application/json">${data}</script>
<script>
const RESULTS = JSON.parse(document.getElementById('accord-data').textContent);
const KINDS = ${JSON.stringify(CHECK_KINDS)};
const NO_METHOD = '(protocol)';
const RANK = { must: 0, should: 1, quirk: 2 };
const SYMBOL = { passed: '✓', failed: '✗', 'below-gate': '~', skipped: '·', broken: '!' };
const $ = (s) => document.querySelector(s);
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function verdict(r, gate) {
  if (r.skipped !== undefined) return 'skipped';
  if (r.broken !== undefined) return 'broken';
  const failed = r.facets.filter((f) => !f.ok);
  if (failed.length === 0) return 'passed';
  return failed.some((f) => RANK[f.level] <= RANK[gate]) ? 'failed' : 'below-gate';
}
function worst(vs) {
  for (const v of ['broken', 'failed', 'below-gate', 'passed', 'skipped']) if (vs.includes(v)) return v;
  return null;
}
function matches(r, q) {
  if (!q) return true;
  const hay = (r.id + ' ' + r.title + ' ' + (r.method ?? '') + ' ' + r.facets.map((f) => f.says + ' ' + (f.mismatch ?? '')).join(' ')).toLowerCase();
  return hay.includes(q.toLowerCase());
}
function render() {
  const gate = $('#gate').value, failuresOnly = $('#failuresOnly').checked, q = $('#search').value.trim();
  const out = [];
  RESULTS.forEach((res, ti) => {
    const recs = res.records.filter((r) => matches(r, q));
    // The console's order (src/report/matrix.ts): declared methods, others sorted, then NO_METHOD; kinds as declared.
    const kinds = KINDS.filter((k) => res.records.some((r) => r.kind === k));
    const others = [...new Set(res.records.map((r) => r.method ?? NO_METHOD))].filter((m) => m !== NO_METHOD && !res.methods.includes(m)).sort();
    const methods = [...res.methods, ...others, NO_METHOD].filter((m) => recs.some((r) => (r.method ?? NO_METHOD) === m));
    const counts = { passed: 0, failed: 0, 'below-gate': 0, skipped: 0, broken: 0 };
    recs.forEach((r) => counts[verdict(r, gate)]++);
    const all = res.records.map((r) => verdict(r, gate));
    const conforms = !all.includes('failed') && !all.includes('broken');
    let rows = '';
    for (const m of methods) {
      const mine = recs.filter((r) => (r.method ?? NO_METHOD) === m);
      const cells = kinds.map((k) => {
        const list = mine.filter((r) => r.kind === k);
        const v = worst(list.map((r) => verdict(r, gate)));
        if (!v) return '<td></td>';
        // Skipped checks are counted apart: "✓ 3 · 5" is three that ran and passed, five skipped.
        const ran = list.filter((r) => verdict(r, gate) !== 'skipped');
        const skipped = list.length - ran.length;
        const bad = ran.filter((r) => ['failed', 'broken'].includes(verdict(r, gate))).length;
        const counted = ran.length === 0 ? '' : SYMBOL[v] + ' ' + (bad ? bad + '/' + ran.length : ran.length);
        const label = counted + (skipped ? '<span class="skipped">· ' + skipped + '</span>' : '');
        const title = ran.length + ' ran' + (bad ? ', ' + bad + ' failed' : '') + (skipped ? ', ' + skipped + ' skipped' : '');
        return '<td class="cell ' + v + '" title="' + title + '" data-t="' + ti + '" data-m="' + esc(m) + '" data-k="' + k + '">' + label + '</td>';
      });
      const rowBad = mine.some((r) => ['failed', 'broken'].includes(verdict(r, gate)));
      if (failuresOnly && !rowBad) continue;
      rows += '<tr><td class="method">' + esc(m) + '</td>' + cells.join('') + '</tr>';
    }
    out.push('<section class="target"><h2>' + esc(res.target) + ' <small>' + esc(res.title) + '</small></h2>' +
      '<div class="verdict ' + (conforms ? 'passed' : 'failed') + '">' + (conforms ? '✓ conforms' : '✗ does not conform') + ' at level ' + esc(gate) + '</div>' +
      '<div class="meta">' + esc(res.url) + (res.mock ? ' (embedded mock)' : '') + (res.variant ? ' · variant ' + esc(res.variant.id) + ' (' + esc(res.variant.source) + ': ' + esc(res.variant.evidence) + ')' : '') + ' · run ' + esc(res.runId) + ' · ' + esc(res.startedAt) + ' · reference ' + cite(res, res.reference) + '</div>' +
      '<div class="totals">' + Object.entries(counts).map(([k, v]) => '<span class="' + k + '">' + SYMBOL[k] + ' ' + v + ' ' + k + '</span>').join('') + '</div>' +
      '<table class="matrix"><thead><tr><th class="method">method</th>' + kinds.map((k) => '<th>' + k + '</th>').join('') + '</tr></thead><tbody>' + rows + '</tbody></table></section>');
  });
  $('#targets').innerHTML = out.join('');
  document.querySelectorAll('td.cell').forEach((td) => td.addEventListener('click', () => show(+td.dataset.t, td.dataset.m, td.dataset.k)));
}
function show(ti, method, kind) {
  const gate = $('#gate').value, failuresOnly = $('#failuresOnly').checked;
  const res = RESULTS[ti];
  const list = res.records.filter((r) => (r.method ?? NO_METHOD) === method && r.kind === kind)
    .filter((r) => !failuresOnly || ['failed', 'broken', 'below-gate'].includes(verdict(r, gate)));
  $('#details').innerHTML = '<h2>' + esc(res.target) + ' · ' + esc(method) + ' · ' + esc(kind) + '</h2>' + list.map((r) => {
    const v = verdict(r, gate);
    const facets = r.facets.map((f) => '<div class="facet ' + (f.ok ? 'passed' : RANK[f.level] <= RANK[gate] ? 'failed' : 'below-gate') + '">' +
      (f.ok ? '✓' : '✗') + ' [' + f.level + '] ' + esc(f.says) + (f.ok ? '' : ' — ' + esc(f.mismatch)) + (f.note ? '<br>&nbsp;&nbsp;note: ' + esc(f.note) : '') + '</div>').join('');
    const ex = r.exchanges.map((e) => '<details' + (v === 'failed' || v === 'broken' ? ' open' : '') + '><summary>' + esc(e.step ?? 'exchange') + ' (' + e.ms + ' ms)</summary>' +
      '<div>sent</div><pre>' + esc(e.request) + '</pre><div>received</div><pre>' + esc(e.response) + '</pre>' + (e.reproduce ? '<div>reproduce</div><pre>' + esc(e.reproduce) + '</pre>' : '') + '</details>').join('');
    return '<div class="check" id="' + esc(r.id) + '"><h3 class="' + v + '">' + SYMBOL[v] + ' ' + esc(r.title) + '<span class="badge">' + esc(r.id) + '</span></h3>' +
      (r.identity ? '<div>identity: ' + esc(r.identity) + '</div>' : '') +
      '<div>reference: ' + r.see.map((s) => cite(res, s)).join('; ') + '</div>' +
      (r.skipped !== undefined ? '<div class="skipped">skipped: ' + esc(r.skipped) + '</div>' : '') +
      (r.broken !== undefined ? '<div class="broken">could not run: ' + esc(r.broken) + '</div>' : '') + facets + ex + '</div>';
  }).join('');
  $('#details').scrollIntoView({ behavior: 'instant', block: 'start' });
}
// accord's notes name a section (kanboard.md §4); the links are the upstream docs or source it rests on.
function cite(res, see) {
  const links = (res.citations ?? {})[see] ?? [];
  return esc(see) + (links.length ? ' (' + links.map((u) => '<a href="' + esc(u) + '" rel="noreferrer">' + esc(u.replace('https://', '')) + '</a>').join(', ') + ')' : '');
}
['gate', 'failuresOnly', 'search'].forEach((id) => $('#' + id).addEventListener('input', render));
const gateParam = new URLSearchParams(location.search).get('gate');
$('#gate').value = gateParam ?? RESULTS[0]?.gate ?? 'must';
render();
</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
