/* global document, location, history, requestAnimationFrame */
// The inspector's page script: plain browser JavaScript, inlined by the server (no CDN, no
// build step). Everything it shows comes from /inspect/api; text goes in through
// textContent only, so stored data can never become markup.

const TOKEN_KEY = 'lifeline.inspect.token';
const PAGE_SIZE = 50;

// A token in the address bar is moved to this tab's storage and removed from the URL
// (and so from history, bookmarks and screenshots) before anything else happens.
const params = new URLSearchParams(location.search);
if (params.has('token')) {
  sessionStorage.setItem(TOKEN_KEY, params.get('token') ?? '');
  params.delete('token');
  const query = params.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}

function headers() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function api(path) {
  const response = await fetch(path, { headers: headers(), credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function setStatus(text) {
  document.getElementById('status').textContent = text;
}

function age(ms) {
  if (!Number.isFinite(ms)) return '';
  // Event times come from Twilio's clock: a little skew must not read as a negative age.
  if (ms < 0) return '0s';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d`;
}

let chart = null;
let stop = () => undefined;

async function loadChart() {
  chart ??= await api('/inspect/api/chart');
  return chart;
}

// --- The list of conferences ---

function listState() {
  const query = new URLSearchParams(location.hash.replace(/^#\/?\??/, ''));
  return {
    state: query.get('state') ?? '',
    outcome: query.get('outcome') ?? '',
    worker: query.get('worker') ?? '',
    offset: Number(query.get('offset') ?? 0) || 0,
  };
}

function listHash(filters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, String(value));
  const text = query.toString();
  return `#/${text ? `?${text}` : ''}`;
}

async function showList(view) {
  const { states, outcomes } = await loadChart();
  const filters = listState();
  const select = (name, values) =>
    el(
      'select',
      { name, 'data-testid': `filter-${name}` },
      el('option', { value: '', text: 'any' }),
      values.map((value) =>
        el('option', { value, text: value, selected: value === filters[name] }),
      ),
    );
  const form = el(
    'form',
    {
      class: 'filters',
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(form);
        location.hash = listHash({
          state: data.get('state'),
          outcome: data.get('outcome'),
          worker: String(data.get('worker') ?? '').trim(),
        });
      },
    },
    el(
      'label',
      {},
      'State',
      select(
        'state',
        states.filter((s) => s.leaf).map((s) => s.key),
      ),
    ),
    el('label', {}, 'Outcome', select('outcome', outcomes)),
    el(
      'label',
      {},
      'Worker',
      el('input', { name: 'worker', value: filters.worker, placeholder: 'WK…' }),
    ),
    el('button', { type: 'submit', text: 'Filter' }),
  );
  const body = el('tbody');
  const pager = el('div', { class: 'pager' });
  view.replaceChildren(
    form,
    el(
      'table',
      { 'data-testid': 'conferences' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Conference', 'Task', 'Worker', 'State', 'Age', 'Updated', 'Outcome'].map((h) =>
            el('th', { text: h }),
          ),
        ),
      ),
      body,
    ),
    pager,
  );

  const refresh = async () => {
    const query = new URLSearchParams({ offset: String(filters.offset), limit: String(PAGE_SIZE) });
    if (filters.state) query.set('state', filters.state);
    if (filters.outcome) query.set('outcome', filters.outcome);
    if (filters.worker) query.set('worker', filters.worker);
    const page = await api(`/inspect/api/conferences?${query}`);
    body.replaceChildren(
      ...page.items.map((item) =>
        el(
          'tr',
          { 'data-sid': item.conferenceSid },
          el(
            'td',
            { class: 'mono' },
            el('a', { href: `#/conference/${item.conferenceSid}`, text: item.conferenceSid }),
          ),
          el('td', { class: 'mono', text: item.taskSid ?? '' }),
          el('td', { class: 'mono', text: item.workerSid ?? '' }),
          el(
            'td',
            {},
            el('span', { class: item.final ? 'badge' : 'badge live', text: item.state }),
          ),
          el('td', { text: age(item.ageMs) }),
          el('td', { text: `${age(page.now - item.updatedAt)} ago` }),
          el('td', { text: item.outcome ?? '' }),
        ),
      ),
    );
    const last = Math.min(page.total, filters.offset + page.items.length);
    pager.replaceChildren(
      el(
        'a',
        filters.offset > 0
          ? {
              href: listHash({ ...filters, offset: Math.max(0, filters.offset - PAGE_SIZE) }),
              text: '← newer',
            }
          : { text: '' },
      ),
      el('span', {
        text:
          page.total === 0 ? 'no conferences' : `${filters.offset + 1}–${last} of ${page.total}`,
      }),
      el(
        'a',
        last < page.total
          ? { href: listHash({ ...filters, offset: filters.offset + PAGE_SIZE }), text: 'older →' }
          : { text: '' },
      ),
    );
    setStatus(`updated ${new Date().toLocaleTimeString()}`);
  };
  await refresh();
  let timer = setTimeout(function again() {
    refresh()
      .catch((error) => setStatus(String(error)))
      .finally(() => (timer = setTimeout(again, 2000)));
  }, 2000);
  stop = () => clearTimeout(timer);
}

// --- One conference: chart, facts, timeline ---

function drawChart(model) {
  const boxes = new Map();
  const draw = (state) => {
    const box = el(
      'div',
      {
        class: `state ${state.type}`,
        'data-path': state.path,
        'data-state': state.key,
        title: state.summary ?? state.key,
      },
      el('div', { class: 'name', text: state.key }),
    );
    boxes.set(state.path, box);
    if (state.children.length > 0)
      box.append(el('div', { class: 'children' }, state.children.map(draw)));
    return box;
  };
  const container = el(
    'div',
    { class: 'chart', 'data-testid': 'chart' },
    model.root.children.map(draw),
  );
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  container.prepend(svg);
  // Edges are drawn once the boxes are laid out: straight from box to box, arrow at the target.
  const route = () => {
    const origin = container.getBoundingClientRect();
    const defs = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#9aa5b1"/></marker></defs>`;
    const paths = [];
    for (const edge of model.edges) {
      const a = boxes.get(edge.source)?.getBoundingClientRect();
      const b = boxes.get(edge.target)?.getBoundingClientRect();
      if (!a || !b || edge.source === edge.target) continue;
      const from = {
        x: a.left + a.width / 2 - origin.left,
        y: a.top + Math.min(a.height / 2, 14) - origin.top,
      };
      const to = {
        x: b.left + b.width / 2 - origin.left,
        y: b.top + Math.min(b.height / 2, 14) - origin.top,
      };
      const bend = (to.x - from.x) * 0.15;
      paths.push(
        `<path marker-end="url(#arrow)" d="M${from.x},${from.y} Q${(from.x + to.x) / 2 + bend},${(from.y + to.y) / 2 - 30} ${to.x},${to.y}"><title></title></path>`,
      );
    }
    svg.innerHTML = defs + paths.join('');
    // Labels are set as text, never parsed as markup.
    [...svg.querySelectorAll('path[marker-end] title')].forEach((title, i) => {
      title.textContent =
        model.edges.filter(
          (e) => e.source !== e.target && boxes.has(e.source) && boxes.has(e.target),
        )[i]?.label ?? '';
    });
  };
  return { container, boxes, route };
}

function highlight(boxes, detail) {
  for (const [path, box] of boxes) {
    box.classList.toggle('active', detail.activePaths.includes(path));
    box.classList.toggle('current', detail.activePaths.at(-1) === path);
  }
}

function timelineRow(row, start) {
  const offset = `+${((row.at - start) / 1000).toFixed(3)}s`;
  const cells = (...texts) => texts.map((text) => el('td', { text }));
  switch (row.kind) {
    case 'in':
      return el(
        'tr',
        { class: 'in' },
        cells(offset, 'in', row.name, `${row.source}, ${row.outcome}`, JSON.stringify(row.detail)),
      );
    case 'transition':
      return el(
        'tr',
        { class: 'transition', 'data-to': row.to },
        cells(offset, 'transition', `${row.from ?? '(start)'} → ${row.to}`, `on ${row.cause}`, ''),
      );
    case 'out':
      return el(
        'tr',
        { class: `out ${row.status}` },
        cells(
          offset,
          'out',
          row.name,
          `${row.status}${row.latencyMs === null ? '' : `, ${row.latencyMs} ms`}, ${row.attempts} attempt(s), ${row.retries} retr${row.retries === 1 ? 'y' : 'ies'}`,
          row.result ?? '',
        ),
      );
    default:
      return el(
        'tr',
        { class: 'note' },
        cells(offset, 'note', row.name, '', JSON.stringify(row.detail)),
      );
  }
}

async function showConference(view, sid) {
  const model = await loadChart();
  const drawn = drawChart(model);
  const facts = el('dl', { class: 'facts', 'data-testid': 'facts' });
  const body = el('tbody');
  view.replaceChildren(
    el('p', {}, el('a', { href: '#/', text: '← all conferences' })),
    el('h2', { class: 'mono', text: sid }),
    facts,
    drawn.container,
    el('h3', { text: 'Timeline' }),
    el(
      'table',
      { 'data-testid': 'timeline' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['At', 'Kind', 'What', 'How', 'Detail'].map((h) => el('th', { text: h })),
        ),
      ),
      body,
    ),
  );
  requestAnimationFrame(drawn.route);

  let version = -1;
  const render = async () => {
    const detail = await api(`/inspect/api/conferences/${sid}`);
    const item = detail.summary;
    const fact = (name, value, testid) => [
      el('dt', { text: name }),
      el('dd', { text: value ?? '', 'data-testid': testid }),
    ];
    facts.replaceChildren(
      ...fact('State', detail.state, 'state'),
      ...fact('Outcome', item.outcome ?? (detail.final ? 'ended' : 'in progress'), 'outcome'),
      ...fact('Task', item.taskSid),
      ...fact('Worker', item.workerSid),
      ...fact('Age', age(detail.ageMs)),
      ...fact('Version', String(detail.version)),
    );
    highlight(drawn.boxes, detail);
    const start = detail.timeline[0]?.at ?? 0;
    body.replaceChildren(...detail.timeline.map((row) => timelineRow(row, start)));
    version = detail.version;
    setStatus(`live · version ${version} · ${new Date().toLocaleTimeString()}`);
  };
  await render();

  // Live updates: a fetch-read event stream, so the token travels in a header, never a URL.
  const abort = new AbortController();
  stop = () => abort.abort();
  const follow = async () => {
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(`/inspect/api/conferences/${sid}/stream`, {
          headers: headers(),
          signal: abort.signal,
        });
        if (!response.ok || response.body === null) throw new Error(`stream: ${response.status}`);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const message = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (message.split('\n').some((line) => line.startsWith('data:'))) await render();
          }
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        setStatus(`reconnecting: ${error.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void follow();
}

async function route() {
  stop();
  const view = document.getElementById('view');
  const match = /^#\/conference\/([A-Za-z0-9]+)/.exec(location.hash);
  try {
    if (match) await showConference(view, match[1]);
    else await showList(view);
  } catch (error) {
    setStatus(String(error));
  }
}

globalThis.addEventListener('hashchange', route);
void route();
