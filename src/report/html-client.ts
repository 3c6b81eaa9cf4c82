/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The review report's script: filters, the posting list and the cluster panel, run in the browser.
// html.ts embeds this function's source (`reportClient.toString()`), so it must stand alone: it
// may use nothing from outside its body but types. Text from the records only ever reaches the
// page as text nodes and attribute values, never as markup.
import type { ClientCluster, ClientData, ReportContact, ReportHit, ReportPosting, TextPart } from './review.js';

export function reportClient(): void {
  const PAGE = 100;
  const FILTERS = ['label', 'category', 'rule', 'lang', 'cluster', 'source'] as const;
  type Filter = (typeof FILTERS)[number];
  type State = Record<Filter, string> & { q: string };

  const node = document.getElementById('lurescan-data');
  const data = JSON.parse(node?.textContent ?? '{}') as ClientData;
  const postings = data.postings ?? [];
  const clusters = new Map<string, ClientCluster>((data.clusters ?? []).map((cluster) => [cluster.id, cluster]));
  const byRank = new Map<number, ReportPosting>(postings.map((posting) => [posting.n, posting]));

  type Child = Node | string | number | null | undefined | false;
  function el(tag: string, attrs: Record<string, string> | null, ...children: Child[]): HTMLElement {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs ?? {})) element.setAttribute(name, value);
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      element.append(typeof child === 'number' ? String(child) : child);
    }
    return element;
  }
  const byId = (id: string): HTMLElement | null => document.getElementById(id);
  const labelClass = (label: string): string => (label === 'forced-criminality' ? 'fc' : label === 'employment-fraud' ? 'ef' : 'other');
  const round = (n: number): string => String(Math.round(n * 10) / 10);

  // ---- filters ----
  const state: State = { label: '', category: '', rule: '', lang: '', cluster: '', source: '', q: '' };
  const valuesOf: Record<Filter, (p: ReportPosting) => string[]> = {
    label: (p) => p.labels,
    category: (p) => p.categories,
    rule: (p) => [...new Set(p.hits.filter((h) => h.points > 0).map((h) => h.rule))],
    lang: (p) => [p.lang],
    cluster: (p) => p.clusters ?? [],
    source: (p) => [p.source],
  };
  const haystacks = new Map<number, string>();
  function haystack(p: ReportPosting): string {
    let text = haystacks.get(p.n);
    if (text === undefined) {
      const parts: string[] = [p.id, p.title, p.where, p.lang, ...p.labels];
      for (const field of p.fields)
        for (const part of field.parts)
          if (typeof part === 'string') parts.push(part);
          else if ('m' in part) parts.push(part.m);
      for (const hit of p.hits) parts.push(hit.rule, hit.match ?? '', hit.category);
      for (const contact of p.contacts ?? []) parts.push(contact.value, contact.match ?? '', contact.key ?? '');
      text = parts.join('\n').toLowerCase();
      haystacks.set(p.n, text);
    }
    return text;
  }
  function matches(p: ReportPosting): boolean {
    for (const filter of FILTERS) if (state[filter] !== '' && !valuesOf[filter](p).includes(state[filter])) return false;
    return state.q === '' || haystack(p).includes(state.q.toLowerCase());
  }

  function fillSelect(filter: Filter): void {
    const select = byId(`f-${filter}`) as HTMLSelectElement | null;
    if (!select) return;
    const counts = new Map<string, number>();
    for (const p of postings) for (const value of valuesOf[filter](p)) counts.set(value, (counts.get(value) ?? 0) + 1);
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    select.replaceChildren(el('option', { value: '' }, 'all'));
    for (const [value, n] of sorted) select.append(el('option', { value }, `${value} (${n})`));
  }

  function readHash(): number | undefined {
    const hash = decodeURIComponent(location.hash.slice(1));
    const target = /^p-(\d+)$/.exec(hash);
    if (target) return Number(target[1]);
    const params = new URLSearchParams(location.hash.slice(1));
    for (const filter of FILTERS) state[filter] = params.get(filter) ?? '';
    state.q = params.get('q') ?? '';
    return undefined;
  }
  function writeHash(): void {
    const params = new URLSearchParams();
    for (const filter of FILTERS) if (state[filter] !== '') params.set(filter, state[filter]);
    if (state.q !== '') params.set('q', state.q);
    const text = params.toString();
    history.replaceState(null, '', text === '' ? location.pathname + location.search : `#${text}`);
  }
  function syncControls(): void {
    for (const filter of FILTERS) {
      const select = byId(`f-${filter}`) as HTMLSelectElement | null;
      if (!select) continue;
      // A value the list does not offer (a cluster with no flagged member here) is added, so the control shows it.
      if (state[filter] !== '' && ![...select.options].some((o) => o.value === state[filter]))
        select.append(el('option', { value: state[filter] }, `${state[filter]} (0)`));
      select.value = state[filter];
    }
    const search = byId('f-q') as HTMLInputElement | null;
    if (search) search.value = state.q;
  }

  // ---- one posting ----
  function renderParts(parts: TextPart[], p: ReportPosting): HTMLElement {
    const box = el('div', { class: 'ftext' });
    for (const part of parts) {
      if (typeof part === 'string') box.append(part);
      else if ('gap' in part) box.append(el('span', { class: 'gap' }, ` … ${part.gap} characters not shown … `));
      else {
        const hits = (part.h ?? []).map((k) => p.hits[k]).filter((h): h is ReportHit => h !== undefined);
        const contacts = (part.c ?? []).map((k) => p.contacts?.[k]).filter((c): c is ReportContact => c !== undefined);
        const strongest = hits.slice().sort((a, b) => Math.abs(b.points) - Math.abs(a.points))[0];
        const kind = strongest ? (strongest.points < 0 ? 'neg' : labelClass(strongest.label)) : 'contact';
        const title = [
          ...hits.map((h) => `${h.rule} (${h.category}, ${h.points > 0 ? '+' : ''}${round(h.points)})`),
          ...contacts.map((c) => `contact: ${c.kind} ${c.value}`),
        ].join('\n');
        box.append(el('mark', { class: `${kind}${contacts.length > 0 ? ' has-contact' : ''}`, title }, part.m));
      }
    }
    return box;
  }

  function renderHits(p: ReportPosting): HTMLElement {
    const rows = p.hits.map((h) =>
      el(
        'tr',
        { class: h.points < 0 ? 'neg' : '' },
        el('td', null, el('code', null, h.rule)),
        el('td', null, h.label),
        el('td', null, h.category),
        el('td', { class: 'num' }, `${h.points > 0 ? '+' : ''}${round(h.points)}`),
        el('td', null, h.combines ? 'combination' : `${h.field ?? ''}${h.start !== undefined ? ` ${h.start}–${h.end}` : ''}`),
        el('td', null, h.combines ? h.combines.join(', ') : (h.match ?? '')),
      ),
    );
    return el(
      'table',
      { class: 'hits' },
      el('thead', null, el('tr', null, ...['rule', 'label', 'category', 'points', 'where', 'match'].map((h) => el('th', null, h)))),
      el('tbody', null, ...rows),
    );
  }

  /** The hits table, open when short; its summary names the strongest rules. */
  function renderEvidence(p: ReportPosting): HTMLElement {
    const combinations = p.hits.filter((h) => h.combines).length;
    const strongest = p.hits
      .filter((h) => h.points > 0 && !h.combines)
      .slice(0, 3)
      .map((h) => h.rule);
    const details = el(
      'details',
      { class: 'evidence' },
      el(
        'summary',
        null,
        `evidence: ${p.hits.length} hit${p.hits.length === 1 ? '' : 's'}${combinations > 0 ? ` (${combinations} combination${combinations === 1 ? '' : 's'})` : ''}${strongest.length > 0 ? `; strongest on text: ${strongest.join(', ')}` : ''}`,
      ),
      renderHits(p),
    );
    if (p.hits.length <= 8) details.setAttribute('open', '');
    return details;
  }

  function renderModel(p: ReportPosting): HTMLElement | null {
    const m = p.model;
    if (!m) return el('p', { class: 'model' }, el('b', null, 'model: '), 'not used for this verdict');
    if (m.abstained !== undefined) return el('p', { class: 'model' }, el('b', null, 'model abstained: '), m.abstained);
    const probabilities = Object.entries(m.probabilities ?? {})
      .map(([label, value]) => `${label} ${(value * 100).toFixed(1)}%`)
      .join(', ');
    const points = Object.entries(m.points ?? {})
      .map(([label, value]) => `${label} ${value > 0 ? '+' : ''}${round(value)}`)
      .join(', ');
    return el(
      'div',
      { class: 'model' },
      el(
        'p',
        null,
        el('b', null, 'model: '),
        m.label ?? '?',
        probabilities ? ` (${probabilities})` : '',
        points ? `; points added: ${points}` : '',
        m.report !== undefined ? `; a report rather than an offer: ${(m.report * 100).toFixed(1)}%` : '',
      ),
      m.withheld ? el('p', null, m.withheld) : null,
      m.tokens
        ? el(
            'p',
            { class: 'tokens' },
            el('b', null, 'tokens for: '),
            m.tokens.for.join(', ') || '—',
            el('br', null),
            el('b', null, 'against: '),
            m.tokens.against.join(', ') || '—',
          )
        : null,
    );
  }

  function renderContacts(p: ReportPosting): HTMLElement | null {
    if (!p.contacts || p.contacts.length === 0) return null;
    const rows = p.contacts.map((c) =>
      el(
        'tr',
        null,
        el('td', null, c.kind),
        el('td', null, el('code', null, c.value)),
        el('td', null, [c.app, c.network, c.country].filter(Boolean).join(' ')),
        el('td', null, (c.obfuscation ?? []).join(', ')),
        el('td', null, `${c.field ?? ''}${c.start !== undefined ? ` ${c.start}–${c.end}` : ''}`),
        el('td', null, c.match ?? ''),
      ),
    );
    return el(
      'table',
      { class: 'contacts' },
      el(
        'thead',
        null,
        el('tr', null, ...['contact', 'value', 'app / network / country', 'disguised as', 'where', 'as written'].map((h) => el('th', null, h))),
      ),
      el('tbody', null, ...rows),
    );
  }

  function renderPosting(p: ReportPosting): HTMLElement {
    const badges = p.labels.map((label) => el('span', { class: `badge ${labelClass(label)}` }, `${label} ${round(p.scores[label] ?? 0)}`));
    const clusterLinks = (p.clusters ?? []).map((id) => el('a', { class: 'cluster-link', href: `#cluster=${encodeURIComponent(id)}` }, id));
    const fields = p.fields.map((field) =>
      el(
        'div',
        { class: 'field' },
        el('div', { class: 'fname' }, field.name, field.cut ? ' (long: its start and the text around the evidence)' : ''),
        renderParts(field.parts, p),
      ),
    );
    const article = el(
      'article',
      { class: 'posting', id: `p-${p.n}`, 'data-n': String(p.n) },
      el(
        'header',
        null,
        el('a', { class: 'rank', href: `#p-${p.n}` }, `#${p.n}`),
        ...badges,
        el('h3', { class: 'ptitle' }, p.title || '(no title)'),
        el(
          'div',
          { class: 'meta' },
          el('span', { class: 'pid' }, p.id),
          el('span', { class: 'where' }, p.where),
          el('span', { class: 'plang' }, `lang ${p.lang}`),
          clusterLinks.length > 0 ? el('span', { class: 'clusters' }, 'cluster ', ...clusterLinks) : null,
        ),
      ),
      ...fields,
      p.textIncluded
        ? null
        : el(
            'p',
            { class: 'note' },
            'The description and other long fields were not included in these verdicts (scan with --include-text to see them); the evidence table gives each hit’s matched text.',
          ),
      renderEvidence(p),
      renderModel(p),
      renderContacts(p),
      ...(p.warnings ?? []).map((w) => el('p', { class: 'warning' }, el('b', null, `${w.code}: `), w.message)),
    );
    return article;
  }

  // ---- the cluster panel ----
  function renderClusterPanel(): void {
    const panel = byId('cluster-panel');
    if (!panel) return;
    const cluster = state.cluster === '' ? undefined : clusters.get(state.cluster);
    if (!cluster) {
      panel.hidden = true;
      panel.replaceChildren();
      return;
    }
    const items = cluster.members.map((m) => {
      const about = m.title ? ` — ${m.title}` : '';
      if (m.status === 'listed' && m.n !== undefined)
        return el('li', { class: 'member listed' }, el('a', { href: `#p-${m.n}` }, m.id), ` (#${m.n}${m.where ? `, ${m.where}` : ''})${about}`);
      const why =
        m.status === 'left-out'
          ? 'flagged, left out of this report by --max-postings'
          : m.status === 'not-flagged'
            ? `not flagged (score ${round(m.score ?? 0)})`
            : 'not in the verdict files read';
      return el('li', { class: `member ${m.status}` }, el('span', { class: 'mid' }, m.id), `${m.where ? ` (${m.where})` : ''}: ${why}${about}`);
    });
    const parts: Child[] = [
      el(
        'h3',
        null,
        `Cluster ${cluster.id}: ${cluster.size} posting${cluster.size === 1 ? '' : 's'}${cluster.flagged !== undefined ? `, ${cluster.flagged} flagged` : ''}`,
      ),
      cluster.reasons && cluster.reasons.length > 0 ? el('p', null, `joined by: ${cluster.reasons.join(', ')}`) : null,
      cluster.identifiers && cluster.identifiers.length > 0 ? el('p', null, 'shared: ', el('code', null, cluster.identifiers.join('  '))) : null,
      el('ul', { class: 'members' }, ...items),
      cluster.membersLeftOut > 0 ? el('p', { class: 'note' }, `${cluster.membersLeftOut} more member(s) not shown`) : null,
    ];
    panel.replaceChildren(...parts.filter((part): part is HTMLElement => part instanceof HTMLElement));
    panel.hidden = false;
  }

  // ---- the list ----
  let filtered: ReportPosting[] = [];
  let shown = 0;
  function renderList(upTo = PAGE): void {
    const list = byId('list');
    if (!list) return;
    filtered = postings.filter(matches);
    shown = Math.min(filtered.length, Math.max(upTo, PAGE));
    list.replaceChildren(...filtered.slice(0, shown).map(renderPosting));
    const status = byId('status');
    if (status) {
      const active = FILTERS.filter((f) => state[f] !== '').map((f) => `${f} ${state[f]}`);
      if (state.q !== '') active.push(`text “${state.q}”`);
      status.textContent = `${filtered.length} of ${postings.length} flagged posting${postings.length === 1 ? '' : 's'} in this report match${active.length > 0 ? ` (${active.join(', ')})` : ''}${shown < filtered.length ? `; showing the first ${shown}` : ''}.`;
      status.setAttribute('data-matching', String(filtered.length));
    }
    const more = byId('more');
    if (more) more.hidden = shown >= filtered.length;
    renderClusterPanel();
  }

  function showTarget(n: number): void {
    const posting = byRank.get(n);
    if (!posting) return;
    if (!matches(posting)) {
      for (const filter of FILTERS) state[filter] = '';
      state.q = '';
      syncControls();
    }
    const index = postings.filter(matches).indexOf(posting);
    renderList(index + 1);
    const target = byId(`p-${n}`);
    if (target) {
      for (const old of document.querySelectorAll('.posting.target')) old.classList.remove('target');
      target.classList.add('target');
      target.scrollIntoView({ block: 'start' });
    }
  }

  function onHash(): void {
    const target = readHash();
    if (target !== undefined) showTarget(target);
    else {
      syncControls();
      renderList();
    }
  }

  for (const filter of FILTERS) {
    fillSelect(filter);
    byId(`f-${filter}`)?.addEventListener('change', (event) => {
      state[filter] = (event.target as HTMLSelectElement).value;
      writeHash();
      renderList();
    });
  }
  byId('f-q')?.addEventListener('input', (event) => {
    state.q = (event.target as HTMLInputElement).value;
    writeHash();
    renderList();
  });
  byId('clear')?.addEventListener('click', () => {
    for (const filter of FILTERS) state[filter] = '';
    state.q = '';
    syncControls();
    writeHash();
    renderList();
  });
  byId('more')?.addEventListener('click', () => renderList(shown + PAGE));
  window.addEventListener('hashchange', onHash);
  const controls = byId('controls');
  if (controls) controls.hidden = false;
  onHash();
  document.documentElement.setAttribute('data-ready', 'true');
}
