// `lurescan report`: the review report as one HTML file that works offline. The summary, charts and
// clusters are written here as markup (every value from the records escaped); the flagged postings
// travel as JSON in a non-executed <script type="application/json"> and html-client.ts lists and
// filters them in the browser. A Content-Security-Policy allows only this page's own script and
// style (by hash): no network request of any kind, and no other script, even one smuggled in.
import { createHash } from 'node:crypto';
import { LABELS } from '../types.js';
import { reportClient } from './html-client.js';
import type { ClientCluster, ClientData, ReportCluster, ReviewData } from './review.js';
import { describeWhere } from './review.js';
import { describeModelSummary, type Summary } from './summary.js';

export interface ReportPage {
  data: ReviewData;
  /** The run summary (`scan --summary-out`), when given. */
  summary?: Summary;
  title: string;
  /** The verdict files, as named on the command line. */
  inputs: string[];
  clustersFile?: string;
  summaryFile?: string;
  version: string;
  /** When it was written (ISO 8601), shown in the header. */
  written?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value as HTML: the five characters that mean something in markup escaped. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/**
 * A value as JSON that is safe inside a <script> element: no `<` (so no `</script>` or `<!--`),
 * `>` or `&`, and no raw U+2028 / U+2029; JSON.parse reads back the same value.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const plural = (n: number, word: string): string => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
const fmt = (n: number): string => n.toLocaleString('en');
const labelClass = (label: string): string => (label === 'forced-criminality' ? 'fc' : label === 'employment-fraud' ? 'ef' : 'other');
const hashLink = (key: string, value: string): string => `#${key}=${encodeURIComponent(value)}`;

const STYLE = `
:root{--fc:#b3261e;--ef:#a15c00;--neg:#1b7a3a;--contact:#1f5fbf;--line:#d9d9de;--muted:#5f6368;--bg:#fafafb}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d1d1f;background:var(--bg)}
header.top{background:#1d1d1f;color:#fff;padding:14px 24px}
header.top h1{margin:0;font-size:20px}
header.top p{margin:4px 0 0;color:#c9c9cf;font-size:13px;overflow-wrap:anywhere}
nav{display:flex;gap:16px;padding:8px 24px;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
nav a{color:#1d1d1f;text-decoration:none;font-weight:600}
main{padding:8px 24px 40px;max-width:1280px}
section{margin-top:18px;scroll-margin-top:44px}
.posting{scroll-margin-top:44px;content-visibility:auto;contain-intrinsic-size:auto 600px}
h2{font-size:18px;margin:0 0 8px;border-bottom:2px solid #1d1d1f;padding-bottom:4px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 12px;min-width:120px}
.card b{display:block;font-size:22px}
.card span{color:var(--muted);font-size:13px}
.card.fc b{color:var(--fc)}.card.ef b{color:var(--ef)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:10px 0 0}
.facts dt{font-weight:600}
.facts dd{margin:0;overflow-wrap:anywhere}
.note{color:var(--muted);font-size:13px}
.warn{color:#8a4b00}
table{border-collapse:collapse;font-size:13px;background:#fff}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
table.hits,table.contacts{width:100%}
table.hits td:nth-child(-n+5),table.contacts td:nth-child(-n+2){white-space:nowrap}
th{background:#f0f0f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px}
figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}
svg.chart{width:100%;height:auto;font:12px system-ui,sans-serif}
svg.chart text{fill:#1d1d1f}
svg.chart .bar{fill:#6b6b78}svg.chart .bar.fc{fill:var(--fc)}svg.chart .bar.ef{fill:var(--ef)}svg.chart .bar.other{fill:#8c8c99}
svg.chart a:hover .bar{opacity:.75}
svg.chart a:hover text.name{text-decoration:underline}
#controls{display:flex;flex-wrap:wrap;gap:8px;align-items:end;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px}
#controls label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
#controls select,#controls input{font:inherit;font-size:14px;max-width:260px}
#status{margin:8px 0;font-weight:600}
#cluster-panel{background:#eef3fb;border:1px solid #b9cbe8;border-radius:8px;padding:8px 12px;margin-bottom:10px}
#cluster-panel h3{margin:0 0 4px;font-size:16px}
.member.missing,.member.not-flagged,.member.left-out{color:var(--muted)}
.posting{background:#fff;border:1px solid var(--line);border-left:4px solid #8c8c99;border-radius:8px;padding:10px 14px;margin:10px 0}
.posting.target{outline:3px solid var(--contact)}
.posting header{display:flex;flex-wrap:wrap;gap:6px;align-items:baseline}
.posting .rank{font-weight:700;color:var(--muted);text-decoration:none}
.posting h3{flex-basis:100%;margin:2px 0;font-size:16px;overflow-wrap:anywhere}
.posting .meta{flex-basis:100%;display:flex;flex-wrap:wrap;gap:12px;color:var(--muted);font-size:13px;overflow-wrap:anywhere}
.badge{border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;color:#fff}
.badge.fc{background:var(--fc)}.badge.ef{background:var(--ef)}.badge.other{background:#6b6b78}
.field{margin-top:6px}
.fname{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.ftext{white-space:pre-wrap;overflow-wrap:anywhere;max-height:340px;overflow:auto;border-left:2px solid var(--line);padding-left:8px}
mark{border-radius:3px;padding:0 1px;color:inherit}
mark.fc{background:#f7d4d1;box-shadow:inset 0 -2px var(--fc)}
mark.ef{background:#fbe3c4;box-shadow:inset 0 -2px var(--ef)}
mark.other{background:#e4e4ea}
mark.neg{background:#d3efdc;box-shadow:inset 0 -2px var(--neg)}
mark.contact{background:#dde8fa;box-shadow:inset 0 -2px var(--contact)}
mark.has-contact{outline:1px dashed var(--contact)}
.gap{color:var(--muted);font-style:italic}
details.evidence{margin-top:8px}
details.evidence summary{cursor:pointer;font-weight:600}
tr.neg td{color:var(--neg)}
.model,.tokens{font-size:13px;margin:6px 0}
.warning{font-size:13px;color:#8a4b00}
.contacts{margin-top:6px}
#more{margin:10px 0;font:inherit;padding:6px 14px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
@media print{nav,#controls,#more{display:none}.ftext{max-height:none}}
`;

interface Bar {
  name: string;
  value: number;
  cls: string;
  href?: string;
  /** Shown after the value, e.g. `of 229`. */
  note?: string;
}

/** A horizontal bar chart as inline SVG; each bar a link (a filter of the list) when it has one. */
export function barChart(caption: string, bars: readonly Bar[], emptyText = 'none'): string {
  const width = 640;
  const row = 22;
  const labelWidth = 230;
  const barMax = 300;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = Math.max(1, bars.length) * row + 6;
  const rows = bars.map((bar, k) => {
    const y = k * row + 4;
    const w = Math.max(bar.value > 0 ? 2 : 0, Math.round((bar.value / max) * barMax));
    const name = bar.name.length > 34 ? `${bar.name.slice(0, 33)}…` : bar.name;
    const body =
      `<title>${escapeHtml(`${bar.name}: ${fmt(bar.value)}${bar.note ? ` ${bar.note}` : ''}`)}</title>` +
      `<text class="name" x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(name)}</text>` +
      `<rect class="bar ${escapeHtml(bar.cls)}" x="${labelWidth}" y="${y + 2}" width="${w}" height="${row - 6}" rx="2"></rect>` +
      `<text x="${labelWidth + w + 6}" y="${y + 14}">${escapeHtml(fmt(bar.value))}${bar.note ? ` ${escapeHtml(bar.note)}` : ''}</text>`;
    return bar.href ? `<a href="${escapeHtml(bar.href)}">${body}</a>` : `<g>${body}</g>`;
  });
  const svg =
    bars.length === 0
      ? `<p class="note">${escapeHtml(emptyText)}</p>`
      : `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(caption)}">${rows.join('')}</svg>`;
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;
}

function charts(data: ReviewData): string {
  const c = data.counts;
  const byLabel: Bar[] = [
    ...LABELS.map((label) => ({ name: label, value: c.flagged[label], cls: labelClass(label), href: hashLink('label', label) })),
    { name: 'not flagged', value: c.verdicts - c.flagged.any, cls: 'other' },
  ];
  const byCategory = Object.entries(c.categories)
    .sort(([a, x], [b, y]) => y.postings - x.postings || (a < b ? -1 : 1))
    .map(([name, entry]) => ({
      name,
      value: entry.postings,
      cls: name === 'combination' ? 'other' : labelClass(entry.label),
      href: hashLink('category', name),
    }));
  const byLang = Object.entries(c.languages)
    .filter(([, entry]) => entry.flagged > 0)
    .sort(([a, x], [b, y]) => y.flagged - x.flagged || (a < b ? -1 : 1))
    .map(([name, entry]) => ({ name, value: entry.flagged, cls: 'other', href: hashLink('lang', name), note: `of ${fmt(entry.scanned)}` }));
  const rules = Object.entries(c.rules).sort(([a, x], [b, y]) => y.postings - x.postings || (a < b ? -1 : 1));
  const byRule = rules.slice(0, 20).map(([name, entry]) => ({ name, value: entry.postings, cls: labelClass(entry.label), href: hashLink('rule', name) }));
  return [
    barChart('Flagged postings by label', byLabel),
    barChart('Flagged postings by category (a hit that added points)', byCategory, 'no flagged postings'),
    barChart('Flagged postings by language (of those scanned)', byLang, 'no flagged postings'),
    barChart(`Flagged postings by rule${rules.length > 20 ? ` (the 20 most frequent of ${rules.length})` : ''}`, byRule, 'no flagged postings'),
  ].join('\n');
}

const card = (id: string, value: number, caption: string, cls = ''): string =>
  `<div class="card ${cls}"><b id="${id}" data-value="${value}">${fmt(value)}</b><span>${escapeHtml(caption)}</span></div>`;

const table = (head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string =>
  `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((cells) => `<tr>${cells.join('')}</tr>`)
    .join('')}</tbody></table>`;
const td = (text: unknown, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</td>`;
const countsText = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([key, n]) => `${key} ${fmt(n)}`)
    .join(', ');

function summarySection(page: ReportPage): string {
  const { data, summary } = page;
  const c = data.counts;
  const cards = [
    card('count-read', c.read, 'records read'),
    card('count-verdicts', c.verdicts, 'postings scored'),
    card('count-errors', c.errors, 'error records'),
    card('count-flagged', c.flagged.any, 'flagged'),
    ...LABELS.map((label) => card(`count-${labelClass(label)}`, c.flagged[label], label, labelClass(label))),
    card('count-listed', data.postings.length, 'listed below'),
  ].join('');
  const facts: Array<[string, string]> = [];
  if (summary) {
    const s = summary;
    facts.push(
      [
        'run summary',
        `${escapeHtml(page.summaryFile ?? '')}: read ${fmt(s.read)} = scored ${fmt(s.scored)} + errors ${fmt(s.errors)}; flagged ${fmt(s.flagged.any)} (${LABELS.map((l) => `${l} ${fmt(s.flagged[l] ?? 0)}`).join(', ')})`,
      ],
      [
        'rule set',
        `${fmt(s.ruleset.rules)} rules from ${fmt(s.ruleset.files)} file(s), fingerprint <code id="fingerprint">${escapeHtml(s.ruleset.fingerprint)}</code>`,
      ],
    );
    if (s.model) facts.push(['model', escapeHtml(describeModelSummary(s.model))]);
    if (Object.keys(s.errorCodes ?? {}).length > 0) facts.push(['errors by code', escapeHtml(countsText(s.errorCodes))]);
    if (Object.keys(s.modelAbstained ?? {}).length > 0) facts.push(['model abstained', escapeHtml(countsText(s.modelAbstained))]);
    if ((s.disabledRules ?? []).length > 0)
      facts.push(['rules switched off', `${escapeHtml(s.disabledRules.join(', '))}; ${fmt(s.withoutDisabledRules)} verdict(s) scored without them`]);
    if (s.top)
      facts.push([
        '--top',
        `the scan wrote the ${fmt(Math.min(s.top.limit, s.top.flagged))} most certain of ${fmt(s.top.flagged)} flagged; ${fmt(s.top.leftOut)} left out`,
      ]);
    if (Object.keys(s.languages ?? {}).length > 0) facts.push(['languages', escapeHtml(countsText(s.languages))]);
    if (s.config) facts.push(['settings', escapeHtml(s.config)]);
    facts.push(['scanned by', `lurescan ${escapeHtml(s.version)} in ${escapeHtml((s.elapsedMs / 1000).toFixed(2))} s`]);
    if (s.read !== c.read)
      facts.push([
        'note',
        `<span class="warn">the verdict files hold ${fmt(c.read)} record(s) but the summary counts ${fmt(s.read)} read: the scan wrote only some of them (--only-flagged, --top, --errors-out), or the files are not all of that run. The cards above count the records in the files.</span>`,
      ]);
  } else {
    facts.push([
      'counts',
      'computed from the records in the verdict files. Verdict records do not name the rule set or the model: pass <code>--summary</code> with the file <code>scan --summary-out</code> wrote to show the rule set’s fingerprint and the model.',
    ]);
  }
  if (c.errors > 0) facts.push(['error records by code', escapeHtml(countsText(c.errorCodes))]);
  if (Object.keys(c.modelAbstained).length > 0 && !summary) facts.push(['model abstained', escapeHtml(countsText(c.modelAbstained))]);
  if (c.warned > 0) facts.push(['warnings', `${fmt(c.warned)} posting(s) scanned with warnings (damaged text, guessed columns or encodings)`]);
  if (c.verdicts > 0 && c.withText < c.verdicts)
    facts.push([
      'text',
      `${c.withText === 0 ? 'no verdict carries' : `${fmt(c.verdicts - c.withText)} of ${fmt(c.verdicts)} verdicts carry`} no text of the posting but its short fields (title, company, location, salary, contact, url): for ${c.withText === 0 ? 'all' : 'those'}, the page shows those fields and each hit’s matched text, not the description. Scan with <code>--include-text</code> to see every field.`,
    ]);
  const sources = Object.entries(c.sources).sort(([a, x], [b, y]) => y.scanned - x.scanned || (a < b ? -1 : 1));
  const sourceTable =
    sources.length > 1
      ? `<details><summary>${plural(sources.length, 'source')}</summary>${table(
          ['source', 'scored', 'flagged'],
          sources
            .slice(0, 500)
            .map(([name, entry]) => [
              `<td><a href="${escapeHtml(hashLink('source', name))}">${escapeHtml(name)}</a></td>`,
              td(fmt(entry.scanned), 'num'),
              td(fmt(entry.flagged), 'num'),
            ]),
        )}</details>`
      : '';
  const errorTable =
    data.errorSamples.length > 0
      ? `<details id="error-records"><summary>error records${c.errors > data.errorSamples.length ? ` (the first ${data.errorSamples.length} of ${fmt(c.errors)})` : ''}</summary>${table(
          ['id', 'where', 'code', 'message'],
          data.errorSamples.map((record) => [td(record.id), td(describeWhere(record.source)), td(record.error.code), td(record.error.message)]),
        )}</details>`
      : '';
  return `<section id="summary"><h2>Summary</h2><div class="cards">${cards}</div>
<dl class="facts">${facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`).join('')}</dl>${sourceTable}${errorTable}</section>`;
}

function clusterSection(data: ReviewData): string {
  if (data.clusters.length === 0) return '';
  const rows = data.clusters.map(({ record, members, membersLeftOut }: ReportCluster) => {
    const id = record.cluster;
    const memberItems = members
      .map((m) => {
        const title = m.title ? ` — ${escapeHtml(m.title)}` : '';
        if (m.status === 'listed') return `<li><a href="#p-${m.n}">${escapeHtml(m.id)}</a> (#${m.n})${title}</li>`;
        const why = m.status === 'left-out' ? 'flagged, left out by --max-postings' : m.status === 'not-flagged' ? 'not flagged' : 'not in the verdict files';
        return `<li class="member ${m.status}">${escapeHtml(m.id)} (${escapeHtml(why)})${title}</li>`;
      })
      .join('');
    const labels = Object.entries(record.labels ?? {})
      .filter(([, n]) => n > 0)
      .map(([label, n]) => `<span class="badge ${labelClass(label)}">${escapeHtml(label)} ${fmt(n)}</span>`)
      .join(' ');
    const identifiers = (record.identifiers ?? [])
      .slice(0, 6)
      .map((i) => `<code>${escapeHtml(i.key)}</code>${i.postings !== undefined ? ` ×${fmt(i.postings)}` : ''}`)
      .join('<br>');
    const dates = record.firstSeen || record.lastSeen ? `${escapeHtml(record.firstSeen ?? '?')} – ${escapeHtml(record.lastSeen ?? '?')}` : '';
    const exemplar = record.exemplar?.text
      ? escapeHtml(record.exemplar.text.length > 240 ? `${record.exemplar.text.slice(0, 240)}…` : record.exemplar.text)
      : '';
    return [
      `<td><a class="cluster-link" href="${escapeHtml(hashLink('cluster', id))}">${escapeHtml(id)}</a></td>`,
      td(fmt(record.size), 'num'),
      td(record.flagged !== undefined ? fmt(record.flagged) : '', 'num'),
      `<td>${labels}</td>`,
      td((record.reasons ?? []).join(', ')),
      `<td>${identifiers}</td>`,
      td(countsText(record.langs ?? {})),
      td(countsText(record.sources ?? {})),
      `<td>${dates}</td>`,
      `<td>${exemplar}<details><summary>${plural(members.length, 'member')}${membersLeftOut > 0 ? ` (${fmt(membersLeftOut)} more not shown)` : ''}</summary><ul>${memberItems}</ul></details></td>`,
    ];
  });
  const more =
    data.clustersLeftOut > 0
      ? `<p class="note">${fmt(data.clustersLeftOut)} more cluster(s) of ${fmt(data.clustersRead)} not shown: the ${fmt(data.clusters.length)} with the most flagged members are.</p>`
      : '';
  return `<section id="clusters"><h2>Clusters (${fmt(data.clustersRead)})</h2><p class="note">Postings <code>lurescan link</code> joined by a shared contact or a near-identical text. A cluster’s link filters the list below to its members.</p>${table(
    ['cluster', 'size', 'flagged', 'labels', 'joined by', 'shared identifiers', 'languages', 'sources', 'seen', 'exemplar and members'],
    rows,
    'clusters',
  )}${more}</section>`;
}

function clientData(data: ReviewData): ClientData {
  const clusters: ClientCluster[] = data.clusters.map(({ record, members, membersLeftOut }) => ({
    id: record.cluster,
    size: record.size,
    ...(record.flagged !== undefined ? { flagged: record.flagged } : {}),
    ...(record.reasons ? { reasons: record.reasons.map(String) } : {}),
    ...(record.identifiers ? { identifiers: record.identifiers.slice(0, 10).map((i) => String(i.key)) } : {}),
    members,
    membersLeftOut,
  }));
  return { postings: data.postings, clusters, flagged: data.counts.flagged.any, leftOut: data.leftOut, maxPostings: data.maxPostings };
}

function postingsSection(data: ReviewData): string {
  const leftOut =
    data.leftOut > 0
      ? `<p class="warn" id="left-out" data-value="${data.leftOut}">${fmt(data.leftOut)} flagged posting(s) were left out of this page: it keeps the ${fmt(data.maxPostings)} highest-scoring (--max-postings). The counts and charts above cover every record.</p>`
      : '';
  const select = (name: string, caption: string): string => `<label>${escapeHtml(caption)}<select id="f-${name}"></select></label>`;
  return `<section id="postings"><h2>Flagged postings (${fmt(data.postings.length)})</h2>
<p class="note">Ranked by score (the highest score among a posting’s flagged labels). Evidence is marked in the text: <mark class="fc">forced criminality</mark> <mark class="ef">employment fraud</mark> <mark class="neg">against a flag</mark> <mark class="contact">contact</mark>; hover a mark for its rule.</p>
${leftOut}
<div id="controls" hidden>${select('label', 'label')}${select('category', 'category')}${select('rule', 'rule')}${select('lang', 'language')}${select('cluster', 'cluster')}${select('source', 'source')}<label>text<input id="f-q" type="search" placeholder="search id, text, rule, contact"></label><button type="button" id="clear">clear filters</button></div>
<p id="status"></p>
<div id="cluster-panel" hidden></div>
<div id="list"></div>
<button type="button" id="more" hidden>show more</button>
<noscript><p class="warn">The list of postings needs JavaScript (it runs offline, from this file alone).</p></noscript>
</section>`;
}

/** The whole report page. */
export function renderReport(page: ReportPage): string {
  const script = `(${reportClient.toString()})();`;
  const style = STYLE;
  const csp = ["default-src 'none'", `script-src ${sha256(script)}`, `style-src ${sha256(style)}`, "base-uri 'none'", "form-action 'none'"].join('; ');
  const from = [
    `verdicts from ${page.inputs.map(escapeHtml).join(', ')}`,
    page.clustersFile !== undefined ? `clusters from ${escapeHtml(page.clustersFile)}` : '',
    page.summaryFile !== undefined ? `summary from ${escapeHtml(page.summaryFile)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const nav = [
    '<a href="#summary">Summary</a>',
    '<a href="#charts">Charts</a>',
    page.data.clusters.length > 0 ? '<a href="#clusters">Clusters</a>' : '',
    '<a href="#postings">Flagged postings</a>',
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lurescan ${escapeHtml(page.version)}">
<title>${escapeHtml(page.title)}</title>
<style>${style}</style>
</head>
<body>
<header class="top"><h1>${escapeHtml(page.title)}</h1><p>lurescan ${escapeHtml(page.version)}${page.written ? ` · written ${escapeHtml(page.written)}` : ''} · ${from}</p></header>
<nav>${nav}</nav>
<main>
${summarySection(page)}
<section id="charts"><h2>Charts</h2><p class="note">Over every record read; a bar filters the list.</p><div class="charts">${charts(page.data)}</div></section>
${clusterSection(page.data)}
${postingsSection(page.data)}
</main>
<script type="application/json" id="lurescan-data">${scriptJson(clientData(page.data))}</script>
<script>${script}</script>
</body>
</html>
`;
}
