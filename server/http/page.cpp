#include "http/page.hpp"

namespace scholarsearch::http {

// One self-contained document: inline CSS and JS, no external resources. Every value from the
// API is inserted as text (textContent), except title_html and snippet, which the server has
// already escaped and which contain only <mark> tags; even those are rebuilt keeping only <mark>.
// The URL holds the state (?q=&page=&sort=&year=&keyword=&clc=&venue=&author=, or ?similar=ID,
// ?cited-by=ID[&page=], ?references=ID: the records related to one record).
const std::string_view search_page_html = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>scholarsearch</title>
<link rel="icon" href="data:,">
<style>
:root { --fg: #1f2328; --muted: #59636e; --line: #d8dee4; --accent: #0b57d0; --bg: #fff; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem 1.5rem; padding: .9rem 1.5rem;
  border-bottom: 1px solid var(--line); background: var(--soft); }
header h1 { margin: 0; font-size: 1.3rem; }
header h1 a { color: var(--fg); }
#search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; flex: 1; max-width: 52rem; }
#q { flex: 1; min-width: 14rem; padding: .5rem .75rem; font: inherit; font-size: 1rem; border: 1px solid #afb8c1;
  border-radius: 6px; }
#q:focus, select:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
select, button { font: inherit; padding: .45rem .7rem; border: 1px solid #afb8c1; border-radius: 6px; background: #fff; }
button { cursor: pointer; }
#search button[type=submit] { background: var(--accent); border-color: var(--accent); color: #fff; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.layout { display: grid; grid-template-columns: 15rem minmax(0, 48rem); gap: 2rem; padding: 1rem 1.5rem; }
@media (max-width: 760px) { .layout { grid-template-columns: 1fr; } #facets { order: 2; } }
#status { color: var(--muted); margin-bottom: .5rem; min-height: 1.5em; }
#spelling, #relaxed, #corrected { margin: .25rem 0; }
#error { padding: .6rem .8rem; border: 1px solid #e5a0a0; background: #fff0f0; color: #8b1111; border-radius: 6px; margin-bottom: 1rem; }
#filters { display: flex; flex-wrap: wrap; gap: .4rem; margin-bottom: .75rem; }
#filters button { font-size: .85rem; padding: .15rem .55rem; border-radius: 999px; background: #e7f0fe; border-color: #b6cff7; }
#results { list-style: none; margin: 0; padding: 0; }
#results[aria-busy=true] { opacity: .55; }
.hit, .reference { margin: 0 0 1.3rem; display: grid; grid-template-columns: 2.2rem 1fr; }
.reference-text { margin: 0 0 .2rem; }
.rank { color: var(--muted); font-variant-numeric: tabular-nums; padding-top: .1rem; }
.hit .title { margin: 0; font-size: 1.08rem; font-weight: 600; line-height: 1.35; }
.meta, .links { font-size: .88rem; color: var(--muted); }
.meta .venue { font-style: italic; }
.snippet { margin: .25rem 0; font-size: .93rem; }
mark { background: #fff1a8; color: inherit; padding: 0 .1em; border-radius: 2px; }
.links a { margin-right: 1rem; }
#export { margin-left: 1rem; font-size: .88rem; }
#export a { margin-left: .5rem; }
#facets h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 1rem 0 .3rem; }
#facets ul { list-style: none; margin: 0; padding: 0; }
.facet-value { display: flex; justify-content: space-between; gap: .5rem; width: 100%; text-align: left; border: 0;
  padding: .15rem .35rem; border-radius: 4px; background: none; font-size: .9rem; }
.facet-value:hover { background: var(--soft); }
.facet-value[aria-pressed=true] { background: #e7f0fe; font-weight: 600; }
.facet-value .count { color: var(--muted); font-variant-numeric: tabular-nums; }
#pager { display: flex; flex-wrap: wrap; gap: .3rem; margin: 1.5rem 0 2rem; }
#pager a, #pager span { padding: .25rem .6rem; border: 1px solid var(--line); border-radius: 5px; }
#pager [aria-current=page] { background: var(--accent); color: #fff; border-color: var(--accent); }
#pager .disabled { color: #aab; }
</style>
</head>
<body>
<header>
  <h1><a href="/">scholarsearch</a></h1>
  <form id="search" role="search" autocomplete="off">
    <label for="q" class="visually-hidden">Search query</label>
    <input id="q" name="q" type="search" list="suggestions" autofocus placeholder="Search titles, abstracts, authors… 搜索">
    <datalist id="suggestions"></datalist>
    <label for="sort" class="visually-hidden">Sort by</label>
    <select id="sort" name="sort">
      <option value="relevance">Relevance</option><option value="year">Newest first</option>
      <option value="year-asc">Oldest first</option><option value="cited-by">Most cited</option>
    </select>
    <button type="submit">Search</button>
  </form>
</header>
<div class="layout">
  <aside id="facets" aria-label="Refine results"></aside>
  <main>
    <div id="error" role="alert" hidden></div>
    <div id="status" role="status" aria-live="polite"><span id="total"></span><span id="export" hidden></span><p id="corrected" hidden></p><p id="spelling" hidden></p><p id="relaxed" hidden></p></div>
    <div id="filters" aria-label="Active filters"></div>
    <ol id="results" aria-busy="false"></ol>
    <nav id="pager" aria-label="Result pages"></nav>
  </main>
</div>
<script>
'use strict';
const PAGE_SIZE = 10, MAX_PAGES = 1000;
const FILTERS = ['year', 'keyword', 'clc', 'venue', 'author'];
const FACET_NAMES = { year: 'Year', keyword: 'Keyword', clc: 'CLC', venue: 'Venue', author: 'Author' };
// Pages about one record instead of a search: its similar records, the records citing it, its references.
const RELATED = {
  similar: { title: 'Similar records', api: (id) => '/similar/' + encodeURIComponent(id) + '?size=' + PAGE_SIZE,
             describe: (result, title) => (result.hits || []).length + ' records similar to “' + title + '”' },
  'cited-by': { title: 'Citing records', paged: true,
                api: (id, page) => '/doc/' + encodeURIComponent(id) + '/cited-by?size=' + PAGE_SIZE + '&offset=' + (page - 1) * PAGE_SIZE,
                describe: (result, title) => { const n = (result.total || {}).estimated || 0;
                                               return n.toLocaleString() + (n === 1 ? ' record cites' : ' records cite') + ' “' + title + '”'; } },
  references: { title: 'References', api: (id) => '/doc/' + encodeURIComponent(id) + '/references',
                describe: (result, title) => (result.references || []).length + ' references of “' + title + '”, ' +
                                             result.resolved + ' of them in the collection' },
};
function relatedOf(params) {
  for (const kind of Object.keys(RELATED)) if (params.get(kind)) return Object.assign({ kind, id: params.get(kind) }, RELATED[kind]);
  return null;
}
const EXPORT_FORMATS = { ris: 'RIS', bibtex: 'BibTeX', csljson: 'CSL-JSON', jsonl: 'JSON Lines' };
const $ = (id) => document.getElementById(id);
let controller = null;

// el('a', {href: ...}, 'text', node): strings become text nodes, never markup.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class') node.className = value; else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null && child !== '') node.append(child);
  return node;
}

// Server HTML (escaped text + <mark>): parsed inertly, then rebuilt keeping only <mark> elements.
function marked(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of template.content.childNodes)
    out.append(node.nodeName === 'MARK' ? el('mark', null, node.textContent) : document.createTextNode(node.textContent));
  return out;
}

function stateUrl(params) { const s = params.toString(); return s ? '?' + s : location.pathname; }
function navigate(params) { history.pushState(null, '', stateUrl(params)); load(); }
function withChange(fn) { const p = new URLSearchParams(location.search); p.delete('page'); fn(p); return p; }
function link(text, params, attrs) {
  return el('a', Object.assign({ href: stateUrl(params), onclick: (e) => {
    if (e.button === 0 && !e.ctrlKey && !e.metaKey && !e.shiftKey) { e.preventDefault(); navigate(params); window.scrollTo(0, 0); }
  } }, attrs || {}), text);
}

function clear() {
  for (const id of ['results', 'facets', 'filters', 'pager', 'total', 'export']) $(id).replaceChildren();
  $('error').hidden = $('export').hidden = $('spelling').hidden = $('relaxed').hidden = $('corrected').hidden = true;
}

function showError(message) { $('error').textContent = message; $('error').hidden = false; }

async function load() {
  const params = new URLSearchParams(location.search);
  const q = params.get('q') || '', related = relatedOf(params);
  $('q').value = q;
  $('sort').value = params.get('sort') || 'relevance';
  if ($('sort').selectedIndex < 0) $('sort').value = 'relevance';
  document.title = (related ? related.title : q || 'scholarsearch') + (q || related ? ' – scholarsearch' : '');
  if (controller) controller.abort();
  if (!related && !q.trim() && !FILTERS.some((f) => params.has(f))) { clear(); $('results').setAttribute('aria-busy', 'false'); return; }
  controller = new AbortController();
  const api = new URLSearchParams();
  for (const [key, value] of params) if (key === 'q' || key === 'page' || key === 'sort' || FILTERS.includes(key)) api.append(key, value);
  api.set('size', PAGE_SIZE); api.set('facets', 'year,keyword,author,clc,venue'); api.set('highlight', '1');
  const url = related ? related.api(related.id, Math.max(1, parseInt(params.get('page') || '1', 10) || 1)) : '/search?' + api;
  $('results').setAttribute('aria-busy', 'true');
  try {
    const source = related ? fetch('/doc/' + encodeURIComponent(related.id), { signal: controller.signal })
      .then((r) => (r.ok ? r.json() : null)).catch(() => null) : null;
    const response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    clear();
    if (!response.ok || !body) {
      const fallback = response.status === 503 ? 'The server is busy or the index is unavailable; try again shortly.'
                                               : 'The request failed (HTTP ' + response.status + ').';
      showError(body && body.error ? body.error + (body.detail ? ': ' + body.detail : '') : fallback);
    } else {
      render(body, params, related, related && await source);
    }
  } catch (e) {
    if (e.name === 'AbortError') return;
    clear(); showError('Could not reach the server: ' + e.message);
  }
  $('results').setAttribute('aria-busy', 'false');
}

function render(result, params, related, source) {
  const total = result.total || {}, hits = result.hits || [];
  const exact = total.lower_bound === total.upper_bound;
  const count = (exact ? '' : 'About ') + (total.estimated || 0).toLocaleString() + (total.estimated === 1 ? ' result' : ' results');
  const time = result.elapsed_ms > 0 ? ' (' + result.elapsed_ms.toFixed(1) + ' ms)' : '';
  const page = Number(params.get('page') || 1);
  if (related) $('total').textContent = related.describe(result, source && source.title || related.id) + time;
  else if (hits.length) $('total').textContent = count + time;
  else if (page > 1 && total.estimated) $('total').replaceChildren('No results on page ' + page + ' – ', link('go to page 1', withChange(() => {})));
  else $('total').textContent = 'No results for “' + (params.get('q') || '') + '”' + time;
  // The query as typed found nothing: these are the correction's hits, and the page says so.
  if (result.corrected_query) {
    $('corrected').replaceChildren('Showing results for ', el('strong', { class: 'corrected-query' }, result.corrected_query),
                                   ' (no results for “' + (params.get('q') || '') + '”)');
    $('corrected').hidden = false;
  } else if (result.spelling_suggestion) {
    $('spelling').replaceChildren('Did you mean ', link(result.spelling_suggestion, withChange((p) => p.set('q', result.spelling_suggestion)), { class: 'suggestion' }), '?');
    $('spelling').hidden = false;
  }
  if (result.query_relaxed) { $('relaxed').textContent = 'No record matches every word; showing records that match most of them.'; $('relaxed').hidden = false; }
  for (const name of FILTERS) for (const value of params.getAll(name))
    $('filters').append(el('button', { type: 'button', 'aria-label': 'Remove filter ' + FACET_NAMES[name] + ': ' + value,
      onclick: () => navigate(withChange((p) => removeParam(p, name, value))) }, FACET_NAMES[name] + ': ' + value + ' ×'));
  if (related) $('filters').append(link('← Back to search', new URLSearchParams(), { class: 'back' }));
  if (related && related.kind === 'references') return renderReferences(result.references || []);
  for (const hit of hits) $('results').append(renderHit(hit));
  renderFacets(result.facets || {}, params);
  if (!related || related.paged) renderPager(params, total, hits.length);
  if (!related && hits.length) renderExport(params);
}

// Every match of this search (the query, sort and active filters as on the page) as a download.
function renderExport(params) {
  const query = new URLSearchParams();
  for (const [key, value] of params) if (key === 'q' || key === 'sort' || FILTERS.includes(key)) query.append(key, value);
  $('export').append('Export all:');
  for (const [format, label] of Object.entries(EXPORT_FORMATS)) {
    query.set('format', format);
    $('export').append(el('a', { class: 'export-' + format, href: '/export?' + query, download: '' }, label));
  }
  $('export').hidden = false;
}

function renderHit(hit) {
  const title = el('h2', { class: 'title' });
  const titleLink = el('a', { href: '/doc/' + encodeURIComponent(hit.id) });
  if (hit.doi) titleLink.href = 'https://doi.org/' + hit.doi.split('/').map(encodeURIComponent).join('/');
  titleLink.append(hit.title_html ? marked(hit.title_html) : document.createTextNode(hit.title || hit.id));
  title.append(titleLink);
  const meta = el('div', { class: 'meta' });
  const parts = [];
  if (hit.authors && hit.authors.length) parts.push(el('span', { class: 'authors' }, hit.authors.join('; ')));
  if (hit.year != null) parts.push(el('span', { class: 'year' }, String(hit.year)));
  if (hit.venue) parts.push(el('span', { class: 'venue' }, hit.venue));
  if (hit.cited_by != null) parts.push(el('span', { class: 'cited' }, 'cited by ' + hit.cited_by));
  parts.forEach((part, i) => meta.append(...(i ? [' · ', part] : [part])));
  const links = el('div', { class: 'links' });
  if (hit.doi) links.append(el('a', { class: 'doi', href: titleLink.href }, 'doi:' + hit.doi));
  links.append(link('Similar', new URLSearchParams({ similar: hit.id }), { class: 'similar' }),
               link('Cited by', new URLSearchParams({ 'cited-by': hit.id }), { class: 'cited-by' }),
               link('References', new URLSearchParams({ references: hit.id }), { class: 'references' }),
               el('a', { class: 'record', href: '/doc/' + encodeURIComponent(hit.id) }, 'Record (JSON)'));
  for (const format of ['ris', 'bibtex'])
    links.append(el('a', { class: 'cite-' + format, href: '/doc/' + encodeURIComponent(hit.id) + '?format=' + format, download: '' },
                    EXPORT_FORMATS[format]));
  const body = el('div', null, title, meta);
  if (hit.snippet) { const snippet = el('p', { class: 'snippet' }); snippet.append(marked(hit.snippet)); body.append(snippet); }
  body.append(links);
  return el('li', { class: 'hit', lang: /[\u3400-\u9fff]/.test(hit.title || '') ? 'zh-CN' : 'en' }, el('span', { class: 'rank', 'aria-hidden': 'true' }, hit.rank + '.'), body);
}

// A record's references in order; those that cite a record of the collection link to it.
function renderReferences(references) {
  for (const reference of references) {
    const item = el('li', { class: 'reference' + (reference.cited ? ' in-collection' : '') },
                    el('span', { class: 'rank', 'aria-hidden': 'true' }, reference.n + '.'));
    const body = el('div', null, el('p', { class: 'reference-text' }, reference.text));
    if (reference.cited) {
      const target = reference.cited;
      body.append(el('div', { class: 'links' }, '→ ', link(target.title || target.id, new URLSearchParams({ references: target.id }), { class: 'cited' }),
                     link('Cited by', new URLSearchParams({ 'cited-by': target.id }), { class: 'cited-by' })));
    }
    item.append(body);
    $('results').append(item);
  }
}

function removeParam(p, name, value) {
  const rest = p.getAll(name).filter((v) => v !== value);
  p.delete(name); rest.forEach((v) => p.append(name, v));
}

function renderFacets(facets, params) {
  for (const name of ['year', 'keyword', 'author', 'clc', 'venue']) {
    let values = facets[name] || [];
    if (!values.length) continue;
    // The year facet is every year: show the ten with most records, newest first.
    if (name === 'year') values = values.slice().sort((a, b) => b.count - a.count || Number(b.value) - Number(a.value))
      .slice(0, 10).sort((a, b) => Number(b.value) - Number(a.value));
    const list = el('ul');
    for (const { value, count } of values) {
      const active = params.getAll(name).includes(value);
      list.append(el('li', null, el('button', { type: 'button', class: 'facet-value', 'data-facet': name, 'aria-pressed': String(active),
        onclick: () => navigate(withChange((p) => {
          if (active) removeParam(p, name, value); else if (name === 'year') p.set(name, value); else p.append(name, value);
        })) }, el('span', { class: 'value' }, value), el('span', { class: 'count' }, String(count)))));
    }
    const id = 'facet-' + name;
    $('facets').append(el('section', { 'aria-labelledby': id }, el('h2', { id }, FACET_NAMES[name]), list));
  }
}

function renderPager(params, total, shown) {
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  let last = Math.min(MAX_PAGES, Math.max(page, Math.ceil((total.estimated || 0) / PAGE_SIZE)));
  if (shown < PAGE_SIZE) last = page;
  else if (last === page && page < MAX_PAGES && total.upper_bound > page * PAGE_SIZE) last = page + 1;
  if (last <= 1) return;
  const at = (n) => withChange((p) => { if (n > 1) p.set('page', n); });
  const pager = $('pager');
  const step = (text, n, id) => n >= 1 && n <= last && n !== page ? link(text, at(n), { id, rel: id })
                                                                : el('span', { id, class: 'disabled', 'aria-disabled': 'true' }, text);
  pager.append(step('‹ Previous', page - 1, 'prev'));
  let previous = 0;
  for (let n = 1; n <= last; n++) {
    if (n !== 1 && n !== last && Math.abs(n - page) > 2) continue;
    if (n - previous > 1) pager.append(el('span', { class: 'gap' }, '…'));
    pager.append(n === page ? el('span', { 'aria-current': 'page' }, String(n)) : link(String(n), at(n), { 'aria-label': 'Page ' + n }));
    previous = n;
  }
  pager.append(step('Next ›', page + 1, 'next'));
}

$('search').addEventListener('submit', (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  const q = $('q').value.trim();
  if (q) params.set('q', q);
  if ($('sort').value !== 'relevance') params.set('sort', $('sort').value);
  navigate(params);
});

$('sort').addEventListener('change', () => {
  navigate(withChange((p) => {
    for (const kind of Object.keys(RELATED)) p.delete(kind);
    if ($('q').value.trim()) p.set('q', $('q').value.trim());
    if ($('sort').value === 'relevance') p.delete('sort'); else p.set('sort', $('sort').value);
  }));
});

// Search-as-you-type: the whole text as a prefix, else complete the last word.
let suggestTimer = 0, suggestController = null;
async function fetchSuggestions(prefix) {
  const response = await fetch('/suggest?size=8&q=' + encodeURIComponent(prefix), { signal: suggestController.signal });
  return response.ok ? ((await response.json()).suggestions || []) : [];
}
$('q').addEventListener('input', () => {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(async () => {
    const text = $('q').value;
    if (!text.trim() || text.length > 200) { $('suggestions').replaceChildren(); return; }
    if (suggestController) suggestController.abort();
    suggestController = new AbortController();
    try {
      let options = await fetchSuggestions(text.trim());
      const space = text.lastIndexOf(' ');
      if (!options.length && space > 0 && text.slice(space + 1))
        options = (await fetchSuggestions(text.slice(space + 1))).map((s) => text.slice(0, space + 1) + s);
      $('suggestions').replaceChildren(...options.map((value) => el('option', { value })));
    } catch (e) { /* suggestions are optional */ }
  }, 150);
});

window.addEventListener('popstate', load);
load();
</script>
</body>
</html>
)HTML";

}  // namespace scholarsearch::http
