// psynews dashboard: draws the embedded view rows with Plotly.js and redraws them when a filter changes.
// Text from crawled pages (titles, URLs, sources) only ever reaches the page through textContent or, in
// chart labels, HTML-escaped (Plotly reads a little HTML in labels); links are made for http(s) URLs only.
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("psynews-data").textContent);
  const $ = (id) => document.getElementById(id);
  const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  const COLORS = ["#2f5d8a", "#e07b39", "#3a9d6e", "#c0392b", "#8e6bbf", "#8c6d46", "#d264a6", "#7f8c8d",
    "#b5a42e", "#2bb0c4", "#5b7c99", "#a33f6b"];
  const RETRACTED = "#c0392b";
  const TOP_N = 8;
  const BAR_WIDTH = 20 * 864e5; // a month's bar on a date axis, in milliseconds

  // ---- helpers --------------------------------------------------------------------------------------

  const esc = (s) => String(s == null ? "" : s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const sum = (rows, key) => rows.reduce((n, r) => n + (Number(r[key]) || 0), 0);
  const fmtInt = (n) => Number(n).toLocaleString("en-US");
  const pct = (x) => (x == null || !isFinite(x) ? "–" : (100 * x).toFixed(1) + "%");
  const monthDate = (m) => m + "-01";

  function groupSum(rows, keyFn, valueKey) {
    const out = new Map();
    for (const r of rows) {
      const k = keyFn(r);
      out.set(k, (out.get(k) || 0) + (Number(r[valueKey]) || 0));
    }
    return out;
  }

  function labelOf(topicId) {
    const t = LABELS.get(topicId);
    return t ? t.label : topicId === "-" ? "(none)" : topicId;
  }

  function safeHttpUrl(url) {
    try {
      const u = new URL(String(url));
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function cell(row, text, cls) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text == null ? "" : String(text);
    row.appendChild(td);
    return td;
  }

  // ---- data ------------------------------------------------------------------------------------------

  const LABELS = new Map(DATA.topic_labels.map((t) => [t.topic_id, t]));
  const MONTH_TOTAL = new Map(DATA.month_totals.map((r) => [r.month, r.all_stories]));
  const STUDY = new Map(DATA.studies.map((s) => [s.study_key, s]));
  const months = Array.from(new Set([
    ...DATA.month_totals.map((r) => r.month),
    ...DATA.claims.map((r) => r.month),
    ...DATA.studies_by_month.map((r) => r.month),
    ...DATA.stories.filter((s) => s.published_date).map((s) => s.published_date.slice(0, 7)),
  ].filter(Boolean))).sort();
  const substances = DATA.topic_labels.filter((t) => t.kind === "substance").sort((a, b) => a.label.localeCompare(b.label));

  // ---- filters ---------------------------------------------------------------------------------------

  const state = { from: months[0] || "", to: months[months.length - 1] || "", substance: "", measure: "stories" };

  function fillSelect(select, options, value) {
    for (const [val, text] of options) {
      const o = document.createElement("option");
      o.value = val;
      o.textContent = text;
      select.appendChild(o);
    }
    select.value = value;
  }

  const monthName = (m) => new Date(m + "-01T00:00:00Z").toLocaleDateString("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
  fillSelect($("f-from"), months.map((m) => [m, monthName(m)]), state.from);
  fillSelect($("f-to"), months.map((m) => [m, monthName(m)]), state.to);
  fillSelect($("f-substance"), substances.map((s) => [s.topic_id, s.label]), "");

  const inRange = (month) => month != null && (!state.from || month >= state.from) && (!state.to || month <= state.to);
  const bySubstance = (id) => !state.substance || id === state.substance;
  const selMonths = () => months.filter(inRange);

  function readFilters() {
    state.from = $("f-from").value;
    state.to = $("f-to").value;
    if (state.from && state.to && state.from > state.to) {
      [state.from, state.to] = [state.to, state.from];
      $("f-from").value = state.from;
      $("f-to").value = state.to;
    }
    state.substance = $("f-substance").value;
    state.measure = $("f-measure").value;
  }

  // ---- charts ----------------------------------------------------------------------------------------

  function baseLayout(extra) {
    return Object.assign({
      margin: { l: 56, r: 18, t: 10, b: 44 },
      paper_bgcolor: "#fff",
      plot_bgcolor: "#fff",
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif", size: 12, color: "#1d2733" },
      legend: { orientation: "h", y: -0.18, font: { size: 11 } },
      hovermode: "closest",
    }, extra || {});
  }

  const monthAxis = () => ({ type: "date", tickformat: "%b %Y", range: axisRange(), automargin: true });

  function axisRange() {
    const ms = selMonths();
    if (!ms.length) return undefined;
    const d = (m, days) => new Date(Date.parse(m + "-01T00:00:00Z") + days * 864e5).toISOString().slice(0, 10);
    return [d(ms[0], -16), d(ms[ms.length - 1], 16)];
  }

  // Draw a chart and record what it shows for tests and readers: points plotted and the total of its measure.
  function draw(id, traces, layout, total) {
    const el = $(id);
    const points = traces.reduce((n, t) => n + ((t.meta && t.meta.count === false) ? 0 : (t.z ? t.z.flat().filter((v) => v > 0).length : (t.x || []).length)), 0);
    if (!points) {
      layout.annotations = [{ text: "No data for this selection", showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5, font: { size: 14, color: "#5b6876" } }];
      layout.xaxis = Object.assign({}, layout.xaxis, { visible: false });
      layout.yaxis = Object.assign({}, layout.yaxis, { visible: false });
    }
    integerTicks(traces, layout);
    el.dataset.points = String(points);
    el.dataset.total = String(total);
    Plotly.react(el, traces, layout, CONFIG);
  }

  // Count axes: whole-number ticks only (Plotly would print 0, 0, 1, 1 on a short range).
  function integerTicks(traces, layout) {
    const stacked = layout.barmode === "stack";
    let maxY = 0;
    let maxX = 0;
    const stacks = new Map();
    for (const t of traces) {
      if (t.yaxis === "y2" || t.type === "heatmap") continue;
      if (t.orientation === "h") {
        maxX = Math.max(maxX, ...t.x);
        continue;
      }
      (t.y || []).forEach((v, i) => {
        if (stacked && t.type === "bar") stacks.set(t.x[i], (stacks.get(t.x[i]) || 0) + v);
        else maxY = Math.max(maxY, v);
      });
    }
    maxY = Math.max(maxY, ...stacks.values());
    for (const [axis, max] of [["yaxis", maxY], ["xaxis", maxX]]) {
      const a = layout[axis];
      if (a && a.tickformat === ",d" && max > 0 && max <= 8) a.dtick = 1;
    }
  }

  function topicTraces(kind, rowsByTopic) {
    // rowsByTopic: Map topic_id -> Map month -> stories
    const share = state.measure === "share";
    const totals = [...rowsByTopic].map(([id, byMonth]) => [id, [...byMonth.values()].reduce((a, b) => a + b, 0)]);
    totals.sort((a, b) => b[1] - a[1] || labelOf(a[0]).localeCompare(labelOf(b[0])));
    // every month with relevant stories in the selection: a month without a mention is a 0, not a gap
    const ms = selMonths().filter((m) => MONTH_TOTAL.has(m));
    return totals.slice(0, TOP_N).map(([id], i) => {
      const byMonth = rowsByTopic.get(id);
      const y = ms.map((m) => (share ? (byMonth.get(m) || 0) / MONTH_TOTAL.get(m) : byMonth.get(m) || 0));
      return {
        type: "scatter", mode: "lines+markers", name: esc(labelOf(id)), x: ms.map(monthDate), y,
        line: { color: COLORS[i % COLORS.length], width: 2 }, marker: { size: 7 },
        customdata: ms.map((m) => [byMonth.get(m) || 0, MONTH_TOTAL.get(m)]),
        hovertemplate: "%{fullData.name}<br>%{x|%b %Y}: %{customdata[0]} of %{customdata[1]} stories<extra></extra>",
      };
    });
  }

  function allStoriesTrace() {
    const ms = selMonths().filter((m) => MONTH_TOTAL.has(m));
    return {
      type: "scatter", mode: "lines", name: "All relevant stories", x: ms.map(monthDate), y: ms.map((m) => MONTH_TOTAL.get(m)),
      line: { color: "#9aa5b1", dash: "dash", width: 1.5 }, meta: { count: false },
      hovertemplate: "All relevant stories<br>%{x|%b %Y}: %{y}<extra></extra>",
    };
  }

  function topicLayout() {
    const share = state.measure === "share";
    return baseLayout({
      xaxis: monthAxis(),
      yaxis: share ? { title: { text: "share of all stories" }, tickformat: ".0%", rangemode: "tozero" } : { title: { text: "stories" }, rangemode: "tozero", tickformat: ",d" },
    });
  }

  function drawSubstances() {
    const rows = DATA.topics.filter((r) => r.kind === "substance" && inRange(r.month) && bySubstance(r.topic_id));
    const byTopic = new Map();
    for (const r of rows) {
      if (!byTopic.has(r.topic_id)) byTopic.set(r.topic_id, new Map());
      byTopic.get(r.topic_id).set(r.month, r.stories);
    }
    const traces = topicTraces("substance", byTopic);
    if (state.measure === "stories" && traces.length) traces.push(allStoriesTrace());
    draw("chart-substances", traces, topicLayout(), sum(rows, "stories"));
  }

  function drawConditions() {
    let rows;
    if (state.substance) {
      rows = DATA.pairs.filter((r) => r.substance === state.substance && inRange(r.month)).map((r) => ({ month: r.month, topic_id: r.condition, stories: r.stories }));
    } else {
      rows = DATA.topics.filter((r) => r.kind === "condition" && inRange(r.month));
    }
    const byTopic = new Map();
    for (const r of rows) {
      if (!byTopic.has(r.topic_id)) byTopic.set(r.topic_id, new Map());
      byTopic.get(r.topic_id).set(r.month, (byTopic.get(r.topic_id).get(r.month) || 0) + r.stories);
    }
    const traces = topicTraces("condition", byTopic);
    if (state.measure === "stories" && traces.length) traces.push(allStoriesTrace());
    draw("chart-conditions", traces, topicLayout(), sum(rows, "stories"));
  }

  function drawHeatmap() {
    const rows = DATA.pairs.filter((r) => inRange(r.month) && bySubstance(r.substance));
    const cells = groupSum(rows, (r) => r.substance + "\u0000" + r.condition, "stories");
    const subTotals = groupSum(rows, (r) => r.substance, "stories");
    const condTotals = groupSum(rows, (r) => r.condition, "stories");
    const subs = [...subTotals.keys()].sort((a, b) => subTotals.get(a) - subTotals.get(b) || labelOf(b).localeCompare(labelOf(a)));
    const conds = [...condTotals.keys()].sort((a, b) => condTotals.get(b) - condTotals.get(a) || labelOf(a).localeCompare(labelOf(b)));
    const z = subs.map((s) => conds.map((c) => cells.get(s + "\u0000" + c) || 0));
    const short = (s) => (s.length > 24 ? s.slice(0, 23) + "…" : s);
    const xs = conds.map((c) => esc(labelOf(c)));
    const ys = subs.map((s) => esc(labelOf(s)));
    const traces = subs.length ? [{
      type: "heatmap", z, x: xs, y: ys,
      colorscale: [[0, "#f3f6fa"], [1, "#2f5d8a"]], zauto: false, zmin: 0, zmax: Math.max(1, ...z.flat()), xgap: 2, ygap: 2,
      texttemplate: "%{z}", hovertemplate: "%{y} × %{x}: %{z} stories<extra></extra>", colorbar: { thickness: 10, title: { text: "stories" } },
    }] : [];
    const axis = (vals, ids) => ({ tickmode: "array", tickvals: vals, ticktext: ids.map((id) => esc(short(labelOf(id)))), automargin: true });
    draw("chart-heatmap", traces, baseLayout({ margin: { l: 130, r: 18, t: 10, b: 90 }, xaxis: Object.assign(axis(xs, conds), { tickangle: -35 }), yaxis: axis(ys, subs) }), sum(rows, "stories"));
  }

  function drawClaims() {
    const rows = DATA.claims.filter((r) => inRange(r.month) && bySubstance(r.substance));
    const unsupported = DATA.unsupported.filter((r) => inRange(r.month) && bySubstance(r.substance));
    const typeTotals = groupSum(rows, (r) => r.claim_type, "claims");
    const types = [...typeTotals.keys()].sort((a, b) => typeTotals.get(b) - typeTotals.get(a) || a.localeCompare(b));
    const ms = [...new Set(rows.map((r) => r.month))].sort();
    const traces = types.map((t, i) => {
      const byMonth = groupSum(rows.filter((r) => r.claim_type === t), (r) => r.month, "claims");
      const tm = ms.filter((m) => byMonth.get(m));
      return { type: "bar", name: esc(t.replace("_", " / ")), x: tm.map(monthDate), y: tm.map((m) => byMonth.get(m)), width: BAR_WIDTH, marker: { color: COLORS[i % COLORS.length] },
        hovertemplate: "%{fullData.name}: %{y} claims<br>%{x|%b %Y}<extra></extra>" };
    });
    if (ms.length) {
      const all = groupSum(rows, (r) => r.month, "claims");
      const hedged = groupSum(rows, (r) => r.month, "hedged");
      const unsup = groupSum(unsupported, (r) => r.month, "claims");
      const line = (name, num, color, dash) => ({
        type: "scatter", mode: "lines+markers", name, yaxis: "y2", x: ms.map(monthDate), y: ms.map((m) => (num.get(m) || 0) / all.get(m)),
        line: { color, width: 2, dash }, marker: { size: 6 }, meta: { count: false },
        customdata: ms.map((m) => [num.get(m) || 0, all.get(m)]),
        hovertemplate: name + ": %{y:.0%} (%{customdata[0]} of %{customdata[1]})<br>%{x|%b %Y}<extra></extra>",
      });
      traces.push(line("hedged share", hedged, "#1d2733", "solid"));
      traces.push(line("unsupported share", unsup, RETRACTED, "dot"));
    }
    const layout = baseLayout({
      barmode: "stack", xaxis: monthAxis(), yaxis: { title: { text: "claims" }, rangemode: "tozero", tickformat: ",d" },
      yaxis2: { overlaying: "y", side: "right", range: [0, 1.05], tickformat: ".0%", showgrid: false, title: { text: "share" } },
      margin: { l: 56, r: 56, t: 10, b: 44 },
    });
    draw("chart-claims", traces, layout, sum(rows, "claims"));
    return sum(rows, "claims");
  }

  function drawHype() {
    const rows = DATA.hype.filter((r) => inRange(r.month) && bySubstance(r.substance));
    const termTotals = groupSum(rows, (r) => r.term, "uses");
    const terms = [...termTotals.keys()].sort((a, b) => termTotals.get(b) - termTotals.get(a) || a.localeCompare(b)).slice(0, TOP_N);
    const traces = terms.map((t, i) => {
      const byMonth = groupSum(rows.filter((r) => r.term === t), (r) => r.month, "uses");
      const ms = [...byMonth.keys()].sort();
      return { type: "bar", name: esc(t), x: ms.map(monthDate), y: ms.map((m) => byMonth.get(m)), width: BAR_WIDTH, marker: { color: COLORS[i % COLORS.length] },
        hovertemplate: "“%{fullData.name}”: %{y}<br>%{x|%b %Y}<extra></extra>" };
    });
    draw("chart-hype", traces, baseLayout({ barmode: "stack", xaxis: monthAxis(), yaxis: { title: { text: "uses in claims" }, rangemode: "tozero", tickformat: ",d" } }), sum(rows, "uses"));
  }

  function studyLabel(s) {
    return esc(s.first_author + " " + s.year) + (s.is_retracted ? " ✖ retracted" : "");
  }

  function citedStudies() {
    const rows = DATA.studies_by_month.filter((r) => inRange(r.month) && STUDY.has(r.study_key) && bySubstance(STUDY.get(r.study_key).substance));
    const totals = groupSum(rows, (r) => r.study_key, "citing_stories");
    const keys = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
    return { rows, totals, keys };
  }

  function drawStudies() {
    const { totals, keys } = citedStudies();
    const top = keys.slice(0, 15);
    const studies = top.map((k) => STUDY.get(k));
    const traces = top.length ? [{
      type: "bar", orientation: "h", y: top, x: top.map((k) => totals.get(k)),
      marker: { color: studies.map((s) => (s.is_retracted ? RETRACTED : "#2f5d8a")) },
      customdata: studies.map((s) => [esc(s.title), esc(s.journal || ""), s.is_retracted ? "RETRACTED " + (s.retraction_date || "") : "not retracted"]),
      hovertemplate: "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<br>%{x} citing stories<extra></extra>",
    }] : [];
    const layout = baseLayout({
      margin: { l: 150, r: 18, t: 10, b: 44 }, showlegend: false,
      yaxis: { autorange: "reversed", tickmode: "array", tickvals: top, ticktext: studies.map(studyLabel), automargin: true },
      xaxis: { title: { text: "citing stories" }, rangemode: "tozero", tickformat: ",d" },
    });
    draw("chart-studies", traces, layout, keys.reduce((n, k) => n + totals.get(k), 0));
    return keys.length;
  }

  function drawStudyTrend() {
    const { rows, keys } = citedStudies();
    const top = keys.slice(0, 5);
    const ms = selMonths();
    const traces = top.map((k, i) => {
      const s = STUDY.get(k);
      const byMonth = groupSum(rows.filter((r) => r.study_key === k), (r) => r.month, "citing_stories");
      return {
        type: "scatter", mode: "lines+markers", name: studyLabel(s), x: ms.map(monthDate), y: ms.map((m) => byMonth.get(m) || 0),
        line: { color: s.is_retracted ? RETRACTED : COLORS[i % COLORS.length], dash: s.is_retracted ? "dot" : "solid", width: 2 },
        marker: { size: 8, symbol: s.is_retracted ? "x" : "circle" },
        hovertemplate: "%{fullData.name}<br>%{x|%b %Y}: %{y} citing stories<extra></extra>",
      };
    });
    const shown = rows.filter((r) => top.includes(r.study_key));
    draw("chart-study-trend", traces, baseLayout({ xaxis: monthAxis(), yaxis: { title: { text: "citing stories" }, rangemode: "tozero", tickformat: ",d" } }), sum(shown, "citing_stories"));
  }

  // ---- tables ----------------------------------------------------------------------------------------

  function drawStories() {
    const body = $("stories-body");
    const rows = DATA.stories.filter((s) => (!s.published_date || inRange(s.published_date.slice(0, 7))) && (!state.substance || s.substances.includes(state.substance)));
    body.replaceChildren();
    for (const s of rows.slice(0, 25)) {
      const tr = document.createElement("tr");
      tr.dataset.articleId = s.article_id;
      cell(tr, s.published_date || "");
      cell(tr, s.source);
      const td = document.createElement("td");
      td.className = "story-title";
      const href = safeHttpUrl(s.url);
      const title = s.title || s.url || "(untitled)";
      if (href) {
        const a = document.createElement("a");
        a.href = href;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        a.textContent = title;
        td.appendChild(a);
      } else {
        td.textContent = title;
      }
      tr.appendChild(td);
      cell(tr, s.substances.map(labelOf).join(", "));
      body.appendChild(tr);
    }
    $("stories-count").textContent = rows.length > 25 ? `Showing 25 of ${fmtInt(rows.length)} in the selection.` : `${fmtInt(rows.length)} in the selection.`;
  }

  function drawHealth() {
    const health = DATA.source_health;
    if (!health) return;
    $("health-panel").hidden = false;
    const head = $("health-head");
    const body = $("health-body");
    head.replaceChildren();
    body.replaceChildren();
    for (const c of health.columns) {
      const th = document.createElement("th");
      th.textContent = c.replace(/_/g, " ");
      head.appendChild(th);
    }
    for (const r of health.rows) {
      const tr = document.createElement("tr");
      for (const c of health.columns) {
        const v = r[c];
        if (c === "status") {
          const td = cell(tr, "");
          const span = document.createElement("span");
          span.className = "status status-" + (["ok", "degraded", "stale", "failing"].includes(v) ? v : "stale");
          span.textContent = v == null ? "" : String(v);
          td.appendChild(span);
        } else if (typeof v === "number") {
          cell(tr, c.endsWith("share") ? pct(v) : fmtInt(v), "num");
        } else {
          cell(tr, v == null ? "–" : typeof v === "object" ? JSON.stringify(v) : v);
        }
      }
      body.appendChild(tr);
    }
  }

  // ---- page ------------------------------------------------------------------------------------------

  function relevantInSelection() {
    if (state.substance) return sum(DATA.topics.filter((r) => r.topic_id === state.substance && inRange(r.month)), "stories");
    return sum(DATA.month_totals.filter((r) => inRange(r.month)), "all_stories");
  }

  function redraw() {
    readFilters();
    drawSubstances();
    drawConditions();
    drawHeatmap();
    const claims = drawClaims();
    drawHype();
    const studies = drawStudies();
    drawStudyTrend();
    drawStories();
    $("kpi-relevant").textContent = fmtInt(relevantInSelection());
    $("kpi-claims").textContent = fmtInt(claims);
    $("kpi-studies").textContent = fmtInt(studies);
    document.body.dataset.ready = "true";
  }

  $("generated-at").textContent = DATA.generated_at;
  $("last-run").textContent = DATA.totals.last_run_at || "never";
  $("kpi-stories").textContent = fmtInt(DATA.totals.stories);
  $("kpi-stories").dataset.value = String(DATA.totals.stories);
  $("kpi-sources").textContent = fmtInt(DATA.totals.sources);
  for (const id of ["f-from", "f-to", "f-substance", "f-measure"]) $(id).addEventListener("change", redraw);
  $("f-reset").addEventListener("click", () => {
    $("f-from").value = months[0] || "";
    $("f-to").value = months[months.length - 1] || "";
    $("f-substance").value = "";
    $("f-measure").value = "stories";
    redraw();
  });
  drawHealth();
  redraw();
})();
