// The step-through player (autograd/player.py). Frame k shows the state after
// k backward steps. Every piece of text from the data is written with
// textContent, never parsed as HTML.
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("hg-data").textContent);
  const steps = data.steps;
  const n = steps.length;
  const el = (id) => document.getElementById(id);
  const graph = el("hg-graph");
  const svg = graph.querySelector("svg");
  const slider = el("hg-slider");
  const line = el("hg-line");
  const where = el("hg-where");
  const count = el("hg-count");
  const playButton = el("hg-play");
  const speed = el("hg-speed");
  const zoom = el("hg-zoom");
  const SVG_NS = "http://www.w3.org/2000/svg";

  // each card's grad line, and the frame after which its gradient is complete
  const gradText = new Map();
  for (const id of Object.keys(data.initial)) {
    const card = el(id);
    const text = card && [...card.querySelectorAll("text")].find(
      (t) => t.textContent.startsWith("grad:"));
    if (text) {
      text.classList.add("hg-grad");
      gradText.set(id, text);
    }
  }
  const checks = new Map();  // card id -> its check mark, made when first needed
  const shown = new Map();  // element -> the class list it has now (no needless DOM writes)

  function mark(id, cls) {
    const node = id && el(id);
    if (node) node.classList.add(cls);
    return node;
  }

  function checkMark(id) {
    if (!checks.has(id)) {
      const card = el(id);
      const box = card.getBBox();
      const t = document.createElementNS(SVG_NS, "text");
      t.setAttribute("x", box.x + box.width + 2);  // just outside the top right corner
      t.setAttribute("y", box.y + 11);
      t.setAttribute("class", "hg-check");
      t.textContent = "✓";
      card.appendChild(t);
      checks.set(id, t);
    }
    return checks.get(id);
  }

  const edges = [...new Set(steps.flatMap((s) => s.edge))].map(el).filter((e) => e);
  let frame = 0;
  let marked = [];  // the elements the current step highlights
  let shownFrames = 0;

  let busy = 0;  // milliseconds spent updating the page, for bench/bench.py

  function show(k) {
    const begun = performance.now();
    frame = Math.max(0, Math.min(n, k));
    for (const node of marked) node.classList.remove("hg-current", "hg-from", "hg-to");
    marked = [];
    const texts = new Map(Object.entries(data.initial));
    const past = new Set();
    steps.forEach((s, i) => {
      if (i < frame - 1) s.edge.forEach((id) => past.add(id));
      if (i < frame) for (const [id, text] of Object.entries(s.grads)) texts.set(id, text);
    });
    if (frame > 0) steps[frame - 1].edge.forEach((id) => past.delete(id));  // it is current
    for (const edge of edges) edge.classList.toggle("hg-past", past.has(edge.id));
    for (const [id, text] of gradText) {
      const value = texts.get(id);
      if (shown.get(text) !== value) {
        text.textContent = value;
        shown.set(text, value);
      }
    }
    for (const [id, last] of Object.entries(data.done)) {
      const card = el(id);
      if (!card) continue;
      const done = last <= frame;
      card.classList.toggle("hg-done", done);
      if (done || checks.has(id)) checkMark(id).style.display = done ? "" : "none";
    }
    if (frame === 0) {
      line.textContent = data.start;
      where.textContent = "";
    } else {
      const s = steps[frame - 1];
      line.textContent = s.line;
      where.textContent = s.where + (frame === n ? "   (last step: every gradient is final)" : "");
      const marks = [...s.edge.map((id) => [id, "hg-current"]), [s.from, "hg-from"],
        [s.to, "hg-to"]];
      for (const [id, cls] of marks) {
        const node = mark(id, cls);
        if (node) marked.push(node);
      }
      keepInView((s.edge.length && el(s.edge[s.edge.length - 1])) || (s.to && el(s.to)));
    }
    slider.value = frame;
    count.textContent = `step ${frame} of ${n}`;
    shownFrames += 1;
    busy += performance.now() - begun;
  }

  // a zoomed-in graph scrolls so that the current step is well inside the view
  function keepInView(node) {
    if (!node) return;
    const view = graph.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    const margin = Math.min(120, view.width / 4, view.height / 4);
    const dx = box.left < view.left + margin || box.right > view.right - margin
      ? (box.left + box.right - view.left - view.right) / 2 : 0;
    const dy = box.top < view.top + margin || box.bottom > view.bottom - margin
      ? (box.top + box.bottom - view.top - view.bottom) / 2 : 0;
    if (dx || dy) graph.scrollBy(dx, dy);
  }

  // -- playing: one frame per 1/speed seconds, on animation frames ----------
  let playing = false;
  let lastTick = 0;

  function tick(now) {
    if (!playing) return;
    if (now - lastTick >= 1000 / Number(speed.value) - 1) {
      lastTick = now;
      show(frame + 1);
      if (frame >= n) return setPlaying(false);
    }
    requestAnimationFrame(tick);
  }

  function setPlaying(on) {
    playing = on && n > 0;
    playButton.textContent = playing ? "⏸ pause" : "▶ play";
    playButton.setAttribute("aria-label", playing ? "pause" : "play");
    if (playing) {
      if (frame >= n) show(0);
      lastTick = performance.now();
      requestAnimationFrame(tick);
    }
  }

  function go(k) {
    setPlaying(false);
    show(k);
  }

  el("hg-first").addEventListener("click", () => go(0));
  el("hg-prev").addEventListener("click", () => go(frame - 1));
  el("hg-next").addEventListener("click", () => go(frame + 1));
  el("hg-last").addEventListener("click", () => go(n));
  playButton.addEventListener("click", () => setPlaying(!playing));
  slider.addEventListener("input", () => go(Number(slider.value)));

  const KEYS = {
    ArrowRight: () => go(frame + 1), ArrowLeft: () => go(frame - 1),
    Home: () => go(0), End: () => go(n), " ": () => setPlaying(!playing),
    Escape: () => closeExplain(),
  };
  document.addEventListener("keydown", (e) => {
    const own = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (own || e.altKey || e.ctrlKey || e.metaKey || !(e.key in KEYS)) return;
    if (e.key === " " && e.target instanceof HTMLButtonElement) return;  // the button's own click
    e.preventDefault();
    KEYS[e.key]();
  });

  // -- zoom: fit the width (never below 60%: text stays readable), or a fixed scale
  const ptWidth = parseFloat(svg.getAttribute("width"));
  const ptHeight = parseFloat(svg.getAttribute("height"));

  function applyZoom() {
    let scale = Number(zoom.value);
    if (zoom.value === "fit") {
      const room = graph.clientWidth - 16;
      scale = Math.max(0.6, Math.min(1, room / (ptWidth * 4 / 3)));
    }
    svg.setAttribute("width", `${ptWidth * 4 / 3 * scale}px`);
    svg.setAttribute("height", `${ptHeight * 4 / 3 * scale}px`);
  }
  zoom.addEventListener("change", applyZoom);
  window.addEventListener("resize", () => { if (zoom.value === "fit") applyZoom(); });

  // -- click (or Enter on) a card: its derivation beside the graph ---------
  let selected = null;
  function explainCard(card) {
    const id = card.id.endsWith("-op") ? card.id.slice(0, -3) : card.id;
    const e = data.explain[id];
    if (!e) return;
    if (selected) selected.classList.remove("hg-selected");
    selected = el(id);
    selected.classList.add("hg-selected");
    el("hg-explain-title").textContent = e.title;
    el("hg-explain-text").textContent = e.text;
    el("hg-explain-note").textContent = `the total after all ${n} steps`;
    el("hg-explain").hidden = false;
    if (zoom.value === "fit") applyZoom();
  }
  for (const id of Object.keys(data.explain)) {
    const card = el(id);
    if (!card) continue;
    card.setAttribute("tabindex", "0");
    card.setAttribute("role", "button");
    card.setAttribute("aria-label", `explain ${data.explain[id].title}`);
  }
  function closeExplain() {
    el("hg-explain").hidden = true;
    if (selected) selected.classList.remove("hg-selected");
    selected = null;
    if (zoom.value === "fit") applyZoom();
  }
  el("hg-close").addEventListener("click", closeExplain);
  svg.addEventListener("click", (e) => {
    const card = e.target.closest("g.node");
    if (card) explainCard(card);
  });
  svg.addEventListener("keydown", (e) => {
    const card = e.target.closest && e.target.closest("g.node");
    if (card && e.key === "Enter") explainCard(card);
  });

  // for measuring (bench/bench.py): frames shown and the time spent showing them
  window.handgradPlayer = { count: n, frames: () => shownFrames, busy: () => busy };
  applyZoom();
  show(0);
})();
