// Report charts, shared by the self-contained HTML report (inlined) and the browser playground.
// A classic script (not a module) so it can be inlined next to echarts.min.js, which sets
// window.echarts; it defines window.vocabsmithCharts.render(report, root).
(function () {
  'use strict';

  const METRICS = {
    premiumTotal: 'Parity premium vs reference (ratio of totals)',
    premiumMean: 'Parity premium vs reference (mean of ratios)',
    bytesPerToken: 'Bytes per token',
    charsPerToken: 'Characters per token',
    fertility: 'Fertility (tokens per word)',
    continuedWordRate: 'Proportion of continued words',
    superwordShare: 'Superword share of tokens',
    byteFallbackRate: 'Byte-fallback rate',
    renyiEfficiency: 'Rényi efficiency',
  };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'style') e.style.cssText = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  }

  const fmt = (v, d = 2) => (v === null || v === undefined ? '–' : typeof v === 'number' ? v.toFixed(d) : String(v));
  const ok = (r) => r.tokenizers.filter((t) => !t.error);

  /** Languages sorted by the first tokenizer's premium, so the bars read as a ranking. */
  function languageOrder(r, metric) {
    const first = ok(r)[0];
    const names = r.corpora.map((c) => c.name);
    if (!first) return names;
    const v = (n) => first.corpora[n]?.[metric] ?? -1;
    return names.slice().sort((a, b) => v(b) - v(a));
  }

  function chart(root, height) {
    const div = el('div', { class: 'chart', style: `height:${height}px` });
    root.append(div);
    const c = window.echarts.init(div, null, { renderer: 'canvas' });
    window.addEventListener('resize', () => c.resize());
    return c;
  }

  function zoom(n) {
    const end = Math.min(100, (60 / Math.max(n, 1)) * 100);
    return [{ type: 'slider', start: 0, end, bottom: 8 }, { type: 'inside' }];
  }

  function bars(root, r) {
    const select = el('select', {});
    for (const [k, label] of Object.entries(METRICS)) select.append(el('option', { value: k }, label));
    root.append(el('p', {}, 'Metric: ', select, ' — drag the slider to see every language.'));
    const c = chart(root, 480);
    const draw = () => {
      const m = select.value;
      const order = languageOrder(r, m);
      const label = new Map(r.corpora.map((x) => [x.name, x.label]));
      c.setOption(
        {
          animation: false, // a report is read, not watched; screenshots need no waiting
          tooltip: { trigger: 'axis' },
          legend: { top: 0, type: 'scroll' },
          grid: { left: 64, right: 16, top: 36, bottom: 170 },
          xAxis: { type: 'category', data: order.map((n) => label.get(n) ?? n), axisLabel: { rotate: 60, interval: 0, fontSize: 10 } },
          // The axis title runs along the axis: a title at the top would sit under the legend.
          yAxis: { type: 'value', name: METRICS[m], nameLocation: 'middle', nameRotate: 90, nameGap: 46 },
          dataZoom: zoom(order.length),
          series: ok(r).map((t) => ({ name: t.name, type: 'bar', data: order.map((n) => t.corpora[n]?.[m] ?? null) })),
        },
        true,
      );
    };
    select.addEventListener('change', draw);
    draw();
  }

  /**
   * Premiums on a log2 scale centred on 1× (neutral colour = as many tokens as the reference):
   * 2× and 0.5× are equally far from neutral, in opposite colours. The colour range is symmetric,
   * ±log2 of the largest premium (capped at 8×), so 1.5× already reads as "costs more".
   */
  function heatmap(root, r) {
    const ts = ok(r);
    const order = languageOrder(r, 'premiumTotal');
    const data = [];
    let span = 1;
    ts.forEach((t, y) =>
      order.forEach((n, x) => {
        const v = t.corpora[n]?.premiumTotal;
        if (v !== null && v !== undefined && v > 0) {
          const l = Math.log2(v);
          data.push([x, y, +l.toFixed(4), v]);
          span = Math.max(span, Math.abs(l));
        }
      }),
    );
    span = Math.min(span, 3);
    const times = (l) => `${(2 ** l).toFixed(2 ** l < 1 ? 2 : 1)}×`;
    const label = new Map(r.corpora.map((x) => [x.name, x.label]));
    const c = chart(root, 230 + 40 * ts.length);
    c.setOption({
      animation: false,
      tooltip: { formatter: (p) => `${ts[p.value[1]].name} · ${label.get(order[p.value[0]]) ?? order[p.value[0]]}: ${p.value[3].toFixed(2)}× the reference's tokens` },
      grid: { left: 110, right: 20, top: 10, bottom: 170 },
      xAxis: { type: 'category', data: order, axisLabel: { rotate: 60, fontSize: 10, interval: 0 } },
      yAxis: { type: 'category', data: ts.map((t) => t.name), axisLabel: { width: 100, overflow: 'truncate' } },
      visualMap: {
        type: 'continuous', dimension: 2, min: -span, max: span, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
        itemWidth: 14, itemHeight: 200, text: [`${times(span)} the reference's tokens`, `${times(-span)}`],
        inRange: { color: ['#2166ac', '#92c5de', '#f7f7f7', '#f4a582', '#b2182b'] },
      },
      dataZoom: [{ type: 'slider', start: 0, end: Math.min(100, (80 / Math.max(order.length, 1)) * 100), bottom: 60, height: 16 }],
      series: [{ type: 'heatmap', data, label: { show: order.length <= 30, fontSize: 9, formatter: (p) => p.value[3].toFixed(1) } }],
    });
    return c;
  }

  /** One row per corpus: premium, bytes/token and fertility per tokenizer; click a header to sort. */
  function languageTable(root, r) {
    const ts = ok(r);
    const cols = [
      { key: 'corpus', label: 'corpus', get: (c) => c.name, text: true },
      { key: 'language', label: 'language', get: (c) => c.label, text: true },
      { key: 'bytes', label: 'bytes', get: (c) => c.bytes, d: 0 },
      ...ts.flatMap((t) => [
        { key: `${t.name}:premiumTotal`, label: `${t.name} premium`, get: (c) => t.corpora[c.name]?.premiumTotal, d: 2 },
        { key: `${t.name}:bytesPerToken`, label: `${t.name} bytes/token`, get: (c) => t.corpora[c.name]?.bytesPerToken, d: 2 },
        { key: `${t.name}:fertility`, label: `${t.name} fertility`, get: (c) => t.corpora[c.name]?.fertility, d: 2 },
      ]),
    ];
    const csv = [cols.map((c) => c.label), ...r.corpora.map((c) => cols.map((col) => col.get(c) ?? ''))]
      .map((row) => row.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(','))
      .join('\n');
    const link = el('a', { href: `data:text/csv;charset=utf-8,${encodeURIComponent(csv + '\n')}`, download: 'per-language.csv' }, 'Download CSV');
    const table = el('table', { class: 'sortable' });
    const body = el('tbody', {});
    let sortKey = null;
    let dir = 1;
    const fill = () => {
      const col = cols.find((c) => c.key === sortKey);
      const rows = r.corpora.slice();
      if (col) {
        rows.sort((a, b) => {
          const [x, y] = [col.get(a), col.get(b)];
          if (x === undefined || x === null) return 1;
          if (y === undefined || y === null) return -1;
          return (col.text ? String(x).localeCompare(String(y)) : x - y) * dir;
        });
      }
      body.replaceChildren(...rows.map((c) => el('tr', {}, ...cols.map((col) => el('td', {}, col.text ? String(col.get(c)) : fmt(col.get(c), col.d))))));
    };
    const head = el('tr', {}, ...cols.map((col) =>
      el('th', { title: 'click to sort', onclick: () => {
        dir = sortKey === col.key ? -dir : col.text ? 1 : -1;
        sortKey = col.key;
        fill();
      } }, col.label),
    ));
    table.append(el('thead', {}, head), body);
    fill();
    root.append(el('p', {}, link, ' — every corpus; click a column header to sort (again to reverse).'), el('div', { class: 'scroll' }, table));
    return csv;
  }

  function histograms(root, r) {
    const c = chart(root, 320);
    const ts = ok(r);
    const lengths = (ts[0]?.summary.lenHist ?? []).map((_, i) => (i === 16 ? '16+' : String(i)));
    c.setOption({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${(v * 100).toFixed(1)}%` },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 64, right: 16, top: 36, bottom: 44 },
      xAxis: { type: 'category', data: lengths, name: 'token length (UTF-8 bytes)', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', name: 'share of tokens', nameLocation: 'middle', nameRotate: 90, nameGap: 46, axisLabel: { formatter: (v) => `${(v * 100).toFixed(0)}%` } },
      series: ts.map((t) => {
        const total = t.summary.lenHist.reduce((a, b) => a + b, 0) || 1;
        return { name: t.name, type: 'bar', data: t.summary.lenHist.map((x) => x / total) };
      }),
    });
  }

  const COLOURS = ['#fde2e4', '#cde7f0', '#e2f0cb', '#fff1c1', '#e4d9f5', '#ffd8be'];

  /** Text split into coloured spans, one per token; byte-fallback pieces of one character share a span. */
  function tokenSpans(text, tokens) {
    const out = el('div', { class: 'tokens' });
    let at = 0;
    let k = 0;
    for (let i = 0; i < tokens.ids.length; i++) {
      const s = tokens.starts[i];
      const e = tokens.ends[i];
      if (e <= at && i > 0) continue; // another byte of the same character
      if (s > at) out.append(text.slice(at, s));
      const span = el('span', { class: 'tok', title: `id ${tokens.ids[i]} ${tokens.pieces ? JSON.stringify(tokens.pieces[i]) : ''}`, style: `background:${COLOURS[k++ % COLOURS.length]}` });
      span.textContent = text.slice(Math.max(s, at), e);
      out.append(span);
      at = Math.max(at, e);
    }
    out.append(text.slice(at));
    return out;
  }

  function viewer(root, r) {
    const select = el('select', {});
    for (const c of r.corpora) select.append(el('option', { value: c.name }, `${c.label} (${c.name})`));
    const box = el('div', {});
    root.append(el('p', {}, 'Corpus: ', select), box);
    const draw = () => {
      const c = r.corpora.find((x) => x.name === select.value);
      box.replaceChildren();
      for (const t of ok(r)) {
        const toks = r.viewer?.[t.name]?.[c.name];
        if (!toks) continue;
        box.append(el('h4', {}, `${t.name} — ${toks.ids.length} tokens`), tokenSpans(c.sample, toks));
      }
    };
    select.addEventListener('change', draw);
    if (r.corpora.length) draw();
  }

  function summary(root, r) {
    const ref = r.reference;
    const cols = [
      ['vocabSize', 'vocab', 0, (t) => t.vocabSize],
      ...(ref ? [['refBytesPerToken', `bytes/token (${ref})`, 2, (t) => t.corpora?.[ref]?.bytesPerToken]] : []),
      ['bytesPerToken', 'bytes/token (all)', 2],
      ['charsPerToken', 'chars/token', 2],
      ['fertility', 'fertility', 2],
      ['continuedWordRate', 'continued words', 3],
      ['meanPremium', 'mean premium', 2],
      ['maxPremium', 'max premium', 2],
      ['giniParallel', 'Gini (premium)', 3],
      ['giniPerByte', 'Gini (tok/byte)', 3],
      ['renyiEfficiency', `Rényi eff. α=${r.alpha}`, 3],
      ['shannonBits', 'Shannon bits', 2],
      ['vocabUtilisation', 'vocab used', 3],
      ['typeTokenRatio', 'type/token', 4],
      ['superwordShare', 'superwords', 3],
      ['byteFallbackRate', 'byte fallback', 4],
      ['unkRate', 'unk', 4],
    ];
    const head = el('tr', {}, el('th', {}, 'tokenizer'), ...cols.map((c) => el('th', {}, c[1])));
    const rows = r.tokenizers.map((t) =>
      t.error
        ? el('tr', { class: 'failed' }, el('td', {}, t.name), el('td', { colspan: String(cols.length) }, `FAILED: ${t.error}`))
        : el('tr', {}, el('td', {}, t.name), ...cols.map(([k, , d, get]) => el('td', {}, fmt(get ? get(t) : t.summary[k], d)))),
    );
    root.append(el('div', { class: 'scroll' }, el('table', {}, head, ...rows)));
  }

  function problems(root, r) {
    const items = [
      ...r.tokenizers.filter((t) => t.error).map((t) => `tokenizer ${t.name}: ${t.error}`),
      ...r.corpusFailures.map((f) => `corpus ${f.name}: ${f.error}`),
    ];
    if (!items.length) return;
    root.append(el('div', { class: 'problems' }, el('h2', {}, `Problems (${items.length})`), el('ul', {}, ...items.map((i) => el('li', {}, i)))));
  }

  function section(root, title, note) {
    const s = el('section', {}, el('h2', {}, title));
    if (note) s.append(el('p', { class: 'note' }, note));
    root.append(s);
    return s;
  }

  function render(r, root) {
    problems(root, r);
    const ref = r.reference ? `reference language: ${r.reference} (its own column: a pooled number hides what one language gains)` : 'no reference language';
    summary(section(root, 'Summary', `${r.corpora.length} corpora, ${ref}. "all" pools every corpus. ${r.definitions.word}`), r);
    if (!ok(r).length || !r.corpora.length) return;
    bars(section(root, 'Per language', r.definitions.premiumTotal), r);
    heatmap(section(root, 'Parity heatmap (tokenizer × language)', 'Colour = premium (ratio of totals) on a log scale centred on 1×: white = as many tokens as the reference, red = more, blue = fewer; 2× and 0.5× are equally strong.'), r);
    languageTable(section(root, 'Per-language table', 'Premium (ratio of totals), bytes per token and fertility for every corpus and tokenizer.'), r);
    histograms(section(root, 'Token length distribution', 'Share of token occurrences by length, all corpora pooled.'), r);
    viewer(section(root, 'Tokenized text', 'Each coloured span is one token (hover: id and vocabulary string).'), r);
  }

  window.vocabsmithCharts = { render, tokenSpans, METRICS, heatmap, languageTable };
})();
