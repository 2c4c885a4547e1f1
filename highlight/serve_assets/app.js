// highlight serve: the pages as spreads, overlays drawn from the layout dump, a click to the YAML line.
// Everything is fetched from this server; nothing from elsewhere.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const OVERLAYS = ["grid", "frames", "baselines", "safe", "trim", "placeholders", "overflow", "underfull", "findings"];
let state = null;      // GET /api/state
let layout = null;     // GET /api/layout
let comparison = null; // GET /api/compare
let selected = null;   // {page, box}
const slots = new Map(); // page number -> {page, img, svg}

function el(tag, attrs = {}, parent = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}
const svgEl = (tag, attrs, parent) => el(tag, attrs, parent, SVG);
const rect = (g, b, cls) => svgEl("rect", {x: b.x, y: b.y, width: Math.max(b.w, 0.1), height: Math.max(b.h, 0.1),
                                          ...(cls ? {class: cls} : {})}, g);
const label = (g, x, y, text, cls) => svgEl("text", {x, y, ...(cls ? {class: cls} : {}), text}, g);

function where(d) {
  if (!d.file) return "";
  return d.line ? `${d.file}:${d.line}:${d.column}` + (d.yaml_path ? ` (${d.yaml_path})` : "") : d.file;
}

// The spreads as the leaflet lies open: 1 alone on the right, 2–3, 4–5, …, the last alone on the left.
function spreadsOf(count) {
  const rows = [[null, 1]];
  for (let n = 2; n < count; n += 2) rows.push([n, n + 1]);
  if (count % 2 === 0 && count > 1) rows.push([count, null]);
  return rows;
}

function buildSlots(count) {
  const host = document.getElementById("spreads");
  if (slots.size === count) return;
  host.textContent = "";
  slots.clear();
  for (const row of spreadsOf(count)) {
    const spread = el("div", {class: "spread"}, host);
    for (const n of row) {
      const slot = el("div", {class: "slot"}, spread);
      if (!n) continue;
      const page = el("div", {class: "page", id: `page-${n}`, "data-number": n}, slot);
      const img = el("img", {alt: `page ${n}`}, page);
      const svg = svgEl("svg", {preserveAspectRatio: "none"}, page);
      svg.addEventListener("click", (ev) => clickPage(n, svg, ev));
      el("span", {class: "number", text: n}, page);
      slots.set(n, {page, img, svg});
    }
  }
}

// Swap a picture only once the new one has loaded: no flash, no jump, the scroll position kept.
function setImage(img, url) {
  if (img.getAttribute("src") === url || img.dataset.pending === url) return;
  img.dataset.pending = url;
  const next = new Image();
  next.onload = () => { if (img.dataset.pending === url) { img.src = url; delete img.dataset.pending; } };
  next.src = url;
}

function drawPage(slot, page, failedPage) {
  const svg = slot.svg;
  const [bx, by, bw, bh] = page.box;
  svg.setAttribute("viewBox", `${bx} ${by} ${bw} ${bh}`);
  svg.textContent = "";
  const g = (name) => svgEl("g", {class: name}, svg);
  const [tw, th] = layout.layout.trim;
  const grid = g("ov ov-grid");
  for (const [x, w] of layout.layout.columns) rect(grid, {x, y: 0, w, h: th});
  const base = g("ov ov-baselines");
  if (page.grid.step > 0) {
    for (let i = 0, y = page.grid.top; y <= page.grid.bottom + 0.01; i++, y = page.grid.top + i * page.grid.step) {
      svgEl("line", {x1: 0, x2: tw, y1: y, y2: y, class: i % page.grid.major === 0 ? "major" : ""}, base);
    }
  }
  const safe = g("ov ov-safe");
  rect(safe, {x: page.safe_mm, y: page.safe_mm, w: tw - 2 * page.safe_mm, h: th - 2 * page.safe_mm});
  const trim = g("ov ov-trim");
  const bleed = layout.layout.bleed_mm;
  rect(trim, {x: 0, y: 0, w: tw, h: th}, "trim");
  rect(trim, {x: -bleed, y: -bleed, w: tw + 2 * bleed, h: th + 2 * bleed}, "bleed");
  const frames = g("ov ov-frames");
  const overflow = g("ov ov-overflow alert");
  for (const f of page.frames) {
    rect(frames, {x: f.x, y: f.y, w: f.w, h: Math.max(f.used, 1)});
    label(frames, f.x + 0.4, f.y + 2.2, f.name);
    if (f.overflowed) {
      rect(overflow, {x: f.x, y: f.y, w: f.w, h: f.used});
      label(overflow, f.x + 0.4, f.y + f.used + 2.6, `${f.name} overflows by ${(f.used - f.h).toFixed(1)} mm`);
    }
  }
  const holders = g("ov ov-placeholders alert");
  for (const p of page.placeholders) {
    rect(holders, {x: p.x - 0.7, y: p.y - 0.7, w: p.w + 1.4, h: p.h + 1.4});
    label(holders, p.x, p.y + p.h + 3, p.what);
  }
  const under = g("ov ov-underfull");
  if (page.underfull) {
    const [left, right] = [layout.layout.columns[0][0], layout.layout.columns.at(-1).reduce((a, b) => a + b)];
    rect(under, {x: left, y: page.underfull.y, w: right - left, h: page.underfull.h});
    label(under, left + 1, page.underfull.y + 3, `underfull: ${page.underfull.h.toFixed(1)} mm unfilled`);
  }
  const findings = g("ov ov-findings");
  for (const line of page.lines) {
    if (!line.findings.length) continue;
    const r = rect(findings, line);
    svgEl("title", {text: line.findings.join("\n")}, r);
  }
  if (failedPage) drawFailed(g("failed-outline"), failedPage);
  if (selected && selected.page === page.number) rect(g("selection"), selected);
}

// A failing build: what it laid out is outlined over the last good picture, where it went wrong.
function drawFailed(group, failedPage) {
  const errors = state.diagnostics.filter(isError);
  for (const f of failedPage.frames) {
    if (!f.overflowed) continue;
    rect(group, {x: f.x, y: f.y, w: f.w, h: f.used});
    label(group, f.x + 0.4, f.y + f.used + 2.6, `now: ${f.name} overflows by ${(f.used - f.h).toFixed(1)} mm`);
  }
  for (const line of failedPage.lines) {
    if (errors.some(d => d.file === line.file && d.line === line.line && (!d.page || d.page === failedPage.number))) {
      rect(group, line);
    }
  }
}

function drawAll() {
  if (!layout || !layout.layout.pages.length) return;
  const failed = new Map(((layout.failed && layout.failed.pages) || []).map(p => [p.number, p]));
  for (const page of layout.layout.pages) {
    const slot = slots.get(page.number);
    if (slot) drawPage(slot, page, failed.get(page.number));
  }
}

// A note (a picture's ink limited, say) and a warning leave the build good; error and fatal do not.
function isError(d) {
  return d.severity === "error" || d.severity === "fatal";
}

function showStatus() {
  const status = document.getElementById("status");
  status.dataset.ok = String(state.ok);
  const counts = {error: 0, warning: 0};
  for (const d of state.diagnostics) if (d.severity !== "note") counts[isError(d) ? "error" : "warning"]++;
  status.textContent = `revision ${state.revision}: ` + (!state.ok ? "the build failed"
    : state.revision === 1 ? `first build, ${state.latency_ms} ms` : `pictures ${state.latency_ms} ms after the save`);
  document.getElementById("edition").textContent = state.edition;
  document.getElementById("counts").textContent = `${counts.error} errors, ${counts.warning} warnings`;
  const failed = document.getElementById("failed");
  failed.hidden = state.ok;
  if (!state.ok) {
    const first = state.diagnostics.find(isError);
    failed.textContent = `This save does not build${state.pages.length ? "; the last good pages stay on screen" : ""}` +
      (first ? `: ${where(first)} ${first.message}` : ".");
  }
  const list = document.getElementById("diagnostics");
  list.textContent = "";
  for (const d of state.diagnostics) {
    const li = el("li", {class: d.severity, text: `${where(d)}${where(d) ? ": " : ""}${d.severity}[${d.code}]: ` +
      (d.page ? `page ${d.page}: ` : "") + d.message + (d.hint ? `\n  hint: ${d.hint}` : "")}, list);
    li.addEventListener("click", () => flashSource(d));
  }
}

function flashSource(d) {
  if (!layout) return;
  for (const page of layout.layout.pages) {
    if (d.page && page.number !== d.page) continue;
    const lines = page.lines.filter(l => l.file === d.file && l.line === d.line);
    if (!lines.length) continue;
    const slot = slots.get(page.number);
    const g = svgEl("g", {class: "flash"}, slot.svg);
    for (const l of lines) rect(g, l);
    slot.page.scrollIntoView({block: "center", behavior: "smooth"});
    setTimeout(() => g.remove(), 2500);
    return;
  }
}

async function refresh() {
  const [s, l] = await Promise.all([fetch("/api/state").then(r => r.json()), fetch("/api/layout").then(r => r.json())]);
  state = s; layout = l;
  buildSlots(state.pages.length);
  for (const p of state.pages) {
    const slot = slots.get(p.number);
    if (slot) setImage(slot.img, p.image);
  }
  showStatus();
  drawAll();
  if (comparison) showComparison();
  document.body.dataset.revision = state.revision;
  if (document.body.classList.contains("view-web")) await showWeb();
}

// The web page tab: the last good build as `build --to html` writes it, reloaded after each good rebuild
// with the reader's scroll kept (the frame is of this server's origin).
async function showWeb() {
  const answer = await fetch("/api/web");
  if (!answer.ok) return;
  const web = await answer.json();
  const frame = document.getElementById("web-frame");
  if (!web.url || frame.getAttribute("src") === web.url) return;
  let scroll = 0;
  try { scroll = frame.contentWindow.scrollY; } catch (e) { scroll = 0; }
  frame.onload = () => { try { frame.contentWindow.scrollTo(0, scroll); } catch (e) { /* not ours */ } };
  frame.setAttribute("src", web.url);
  document.body.dataset.web = web.revision;
}

function setView(web) {
  document.body.classList.toggle("view-web", web);
  document.getElementById("spreads").hidden = web;
  document.getElementById("web").hidden = !web;
  document.getElementById("view-proofs").setAttribute("aria-pressed", String(!web));
  document.getElementById("view-web").setAttribute("aria-pressed", String(web));
  if (web) showWeb().catch(() => {});
}

async function clickPage(number, svg, ev) {
  const point = svg.createSVGPoint();
  point.x = ev.clientX; point.y = ev.clientY;
  const mm = point.matrixTransform(svg.getScreenCTM().inverse());
  const box = document.getElementById("source");
  // Empty paper is known from the dump (the server's rule), so a click there asks nothing and logs no 404.
  const page = layout && layout.layout.pages.find(p => p.number === number);
  const hit = page && page.lines.some(l => l.x - 0.3 <= mm.x && mm.x <= l.x + l.w + 0.3 && l.y <= mm.y && mm.y <= l.y + l.h);
  const r = hit ? await fetch(`/api/source?page=${number}&x=${mm.x.toFixed(2)}&y=${mm.y.toFixed(2)}`) : null;
  box.textContent = "";
  if (!r || !r.ok) {
    selected = null;
    el("p", {class: "muted", text: `page ${number}, ${mm.x.toFixed(1)} × ${mm.y.toFixed(1)} mm: no line here`}, box);
    drawAll();
    return;
  }
  const s = await r.json();
  selected = {page: number, x: s.box[0], y: s.box[1], w: s.box[2], h: s.box[3]};
  const dl = el("dl", {}, box);
  const row = (k, v, cls) => { el("dt", {text: k}, dl); return el("dd", {text: v, ...(cls ? {class: cls} : {})}, dl); };
  row("text", s.text, "text");
  row("source", `${s.file}:${s.line}:${s.column} (${s.yaml_path})`, "where");
  row("style", s.style, "style");
  row("frame", s.frame, "frame");
  const open = row("editor", "");
  el("a", {href: s.editor, text: "open in the editor", class: "editor"}, open);
  drawAll();
}

async function loadPdfs() {
  const {pdfs} = await fetch("/api/pdfs").then(r => r.json());
  const select = document.getElementById("against");
  select.textContent = "";
  for (const p of pdfs) el("option", {value: p, text: p}, select);
  const start = pdfs.find(p => p.endsWith("session-start.pdf"));
  if (start) select.value = start;
}

async function compare() {
  const against = document.getElementById("against").value;
  const box = document.getElementById("changes");
  box.textContent = "comparing…";
  const r = await fetch(`/api/compare?against=${encodeURIComponent(against)}`);
  comparison = r.ok ? await r.json() : null;
  if (!comparison) { box.textContent = "that PDF cannot be read"; return; }
  document.getElementById("compare-off").hidden = false;
  showComparison();
}

function showComparison() {
  const box = document.getElementById("changes");
  box.textContent = "";
  for (const slot of slots.values()) slot.page.querySelectorAll("img.diff").forEach(n => n.remove());
  if (!comparison) { el("p", {class: "muted", text: "Choose an earlier PDF and compare."}, box); return; }
  el("p", {class: "muted", text: `against out/${comparison.against} (at revision ${comparison.revision}): ` +
    `${comparison.pages.length} page(s) changed`}, box);
  for (const c of comparison.pages) {
    const div = el("div", {class: "page-change"}, box);
    el("strong", {text: `page ${c.number} `}, div);
    for (const w of c.removed) { el("del", {text: `− ${w}`}, div); el("br", {}, div); }
    for (const w of c.added) { el("ins", {text: `+ ${w}`}, div); el("br", {}, div); }
    const slot = slots.get(c.number);
    if (slot && c.picture) el("img", {class: "diff", src: c.picture, alt: `changes on page ${c.number}`}, slot.page);
  }
}

function setOverlay(name, on) { document.body.classList.toggle(`show-${name}`, on); }

function start() {
  for (const input of document.querySelectorAll("#overlays input")) {
    input.addEventListener("change", () => setOverlay(input.value, input.checked));
    setOverlay(input.value, input.checked);
  }
  const zoom = document.getElementById("zoom");
  zoom.addEventListener("input", () => document.documentElement.style.setProperty("--zoom", zoom.value));
  document.getElementById("compare").addEventListener("click", compare);
  document.getElementById("view-proofs").addEventListener("click", () => setView(false));
  document.getElementById("view-web").addEventListener("click", () => setView(true));
  document.getElementById("compare-off").addEventListener("click", () => {
    comparison = null; document.getElementById("compare-off").hidden = true; showComparison();
  });
  const events = new EventSource("/api/events");
  events.addEventListener("revision", () => refresh().catch(() => {}));
  // New pictures, pushed as soon as they are drawn (their revision follows with the layout and the findings).
  events.addEventListener("pictures", (event) => {
    for (const p of JSON.parse(event.data)) {
      const slot = slots.get(p.number);
      if (slot) setImage(slot.img, p.image);
    }
  });
  events.onerror = () => { document.getElementById("status").textContent = "disconnected: is `highlight serve` running?"; };
  refresh().then(loadPdfs);
}

start();
