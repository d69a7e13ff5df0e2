/**
 * The console's script: a plain ES module (no build step), served as a string. It uses
 * only the public API with the token the user pasted, kept in this tab's sessionStorage.
 * It builds every element with the DOM API and sets user text with textContent, never
 * innerHTML. Written without template literals so it can sit inside this String.raw.
 */
export const CONSOLE_JS = String.raw`
const TOKEN_KEY = "wirebrief.token";
const SUB_KEY = "wirebrief.subscriber";
const POLL_MS = 15000;
const $ = (id) => document.getElementById(id);

const state = {
  watchlists: [],
  editing: null,
  doc: null,
  feedCursor: null,
  olderLoaded: false,
  alertNodes: new Map(),
  dlvCursor: null,
  dlvOlderLoaded: false,
  timer: null,
  previewSeq: 0,
  trySeq: 0,
};

// ---------- small helpers ----------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(2)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function setStatus(id, text, kind) {
  const e = $(id);
  e.textContent = text || "";
  e.className = "status" + (kind ? " " + kind : "");
}

function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

function plural(n, one, many) {
  return n + " " + (n === 1 ? one : many || one + "s");
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso || "") : d.toLocaleString();
}

function timeEl(iso) {
  return el("time", { datetime: iso }, when(iso));
}

function langName(code) {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "language" }).of(code);
    return name && name !== code ? code + " (" + name + ")" : code;
  } catch {
    return code;
  }
}

function httpUrl(u) {
  try {
    const url = new URL(u);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function listOf(s) {
  return s.split(",").map((x) => x.trim()).filter(Boolean);
}

/** Text with [start, end) ranges wrapped in mark elements; overlapping ranges are merged. */
function marked(text, ranges, label) {
  const frag = document.createDocumentFragment();
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  let at = 0;
  for (const r of sorted) {
    if (r.start < at) continue;
    if (r.start > at) frag.append(text.slice(at, r.start));
    frag.append(el("mark", { title: label ? label(r) : null }, text.slice(r.start, r.end)));
    at = r.end;
  }
  if (at < text.length) frag.append(text.slice(at));
  return frag;
}

const LETTER = /[\p{L}\p{M}\p{N}]/u;

/** Where w occurs in s as a whole token (any occurrence when none is whole). */
function occurrences(s, w) {
  const out = [];
  if (!w) return out;
  for (let i = s.indexOf(w); i >= 0; i = s.indexOf(w, i + w.length)) {
    const before = i > 0 ? s[i - 1] : " ";
    const after = s[i + w.length] || " ";
    if (!LETTER.test(before) && !LETTER.test(after)) out.push({ start: i, end: i + w.length });
  }
  const first = s.indexOf(w);
  if (!out.length && first >= 0) out.push({ start: first, end: first + w.length });
  return out;
}

/**
 * The hits' snippets, one per distinct sentence with every hit in it marked; the first
 * max shown, the rest behind a disclosure.
 */
function snippetsEl(hits, max) {
  const groups = new Map();
  for (const h of hits) {
    const s = h.snippet || h.text || "";
    if (!groups.has(s)) groups.set(s, new Set());
    groups.get(s).add(h.text);
  }
  const items = [...groups].map(([s, words]) =>
    el("p", { class: "snippet", dir: "auto" }, marked(s, [...words].flatMap((w) => occurrences(s, w)))),
  );
  if (items.length <= max) return items;
  return [
    items.slice(0, max),
    el("details", {}, el("summary", {}, plural(items.length - max, "more sentence")), items.slice(max)),
  ];
}

// ---------- the API ----------

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

function actingFor() {
  return sessionStorage.getItem(SUB_KEY) || "";
}

/** Adds subscriber_id for admin tokens acting for one subscriber. */
function scoped(path) {
  const sub = actingFor();
  if (!sub) return path;
  return path + (path.includes("?") ? "&" : "?") + "subscriber_id=" + encodeURIComponent(sub);
}

async function api(method, path, body) {
  const headers = { accept: "application/json" };
  const t = token();
  if (t) headers.authorization = "Bearer " + t;
  const init = { method, headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    const why = e && e.message ? e.message : "network error";
    return { ok: false, status: 0, data: { detail: "the service did not answer (" + why + ")" } };
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  return { ok: res.ok, status: res.status, data };
}

function problemText(res) {
  const d = res.data || {};
  const fields = Array.isArray(d.errors)
    ? d.errors.map((e) => (e.field ? e.field + ": " : "") + e.message).join("; ")
    : "";
  const main = (d.title ? d.title + ": " : "") + (d.detail || "HTTP " + res.status);
  return fields && !main.includes(fields) ? main + " (" + fields + ")" : main;
}

function needsToken(statusId) {
  if (token()) return false;
  setStatus(statusId, "Connect with a token first (at the top of the page).", "error");
  return true;
}

// ---------- query errors at the parser's position ----------

/**
 * Shows each query error under its query with the character at the reported position
 * marked. resolve(field) gives { query, label } for an error's field, or null.
 */
function showQueryErrors(box, errors, resolve) {
  box.replaceChildren();
  for (const e of errors || []) {
    const info = resolve(e.field);
    if (!info || typeof e.position !== "number") {
      box.append(el("p", {}, (e.field ? e.field + ": " : "") + e.message));
      continue;
    }
    const q = info.query;
    const pos = Math.max(0, Math.min(e.position, q.length));
    const at = q.slice(pos, pos + 1);
    box.append(
      el("p", {}, info.label + ", character " + (pos + 1) + ": " + e.message),
      el(
        "code",
        { dir: "auto" },
        q.slice(0, pos),
        el("mark", { class: "err", title: "the error is here" }, at || " "),
        q.slice(pos + 1),
      ),
    );
  }
}

// ---------- connect ----------

async function connect() {
  const t = $("token").value.trim();
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  const sub = $("as-subscriber").value.trim();
  if (sub) sessionStorage.setItem(SUB_KEY, sub);
  else sessionStorage.removeItem(SUB_KEY);
  $("token").value = "";
  if (!token()) {
    setStatus("auth-status", "Paste a token to start.", "error");
    return;
  }
  setStatus("auth-status", "Checking the token…");
  const res = await api("GET", scoped("/v1/watchlists"));
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    setStatus("auth-status", "That token is not valid; it was not kept.", "error");
    return;
  }
  if (res.status === 403) {
    setStatus(
      "auth-status",
      "Connected with an ingest token: summaries work; watchlists and alerts need a subscriber token.",
      "ok",
    );
    state.watchlists = [];
    renderWatchlists();
    return;
  }
  if (!res.ok) {
    setStatus("auth-status", problemText(res), "error");
    return;
  }
  state.watchlists = res.data.items || [];
  setStatus("auth-status", "Connected. The token is kept in this tab only.", "ok");
  $("token").placeholder = "connected: paste another token to switch";
  renderWatchlists();
  state.alertNodes.clear();
  state.olderLoaded = false;
  state.feedCursor = null;
  state.dlvCursor = null;
  state.dlvOlderLoaded = false;
  $("alerts-list").replaceChildren();
  await Promise.all([refreshAlerts(false), refreshDeliveries(false), probeChannels()]);
  startPolling();
}

function forget() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(SUB_KEY);
  stopPolling();
  $("token").value = "";
  $("token").placeholder = "";
  $("as-subscriber").value = "";
  state.watchlists = [];
  state.alertNodes.clear();
  renderWatchlists();
  $("alerts-list").replaceChildren();
  $("dlv-body").replaceChildren();
  $("channels").hidden = true;
  $("channels-link").hidden = true;
  for (const id of ["alerts-status", "dlv-status", "wl-status"]) setStatus(id, "");
  setStatus("auth-status", "The token is forgotten.", "ok");
}

function startPolling() {
  stopPolling();
  state.timer = setInterval(() => {
    if (document.visibilityState !== "visible" || !token()) return;
    if (!state.olderLoaded) refreshAlerts(false);
    if (!state.dlvOlderLoaded) refreshDeliveries(false);
  }, POLL_MS);
}

function stopPolling() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

// ---------- try an article ----------

function looksLikeHtml(s) {
  return /^\s*<(?:!doctype|html|head|body|article|main|section|div|p|h[1-6]|span|meta|title)\b/i.test(s) ||
    /<\/(?:p|div|article|body|html)\s*>/i.test(s);
}

function articleBody() {
  const raw = $("article").value;
  const body = looksLikeHtml(raw) ? { html: raw } : { text: raw };
  const title = $("title").value.trim();
  if (title) body.title = title;
  const published = $("published").value;
  if (published) body.published_at = published;
  return body;
}

function lengthBudget() {
  const mode = $("len-mode").value;
  const v = Number($("len-value").value);
  if (!mode || !Number.isFinite(v) || v <= 0) return {};
  if (mode === "ratio") return { ratio: Math.min(100, v) / 100 };
  return { [mode]: Math.round(v) };
}

function onLengthMode() {
  const mode = $("len-mode").value;
  const input = $("len-value");
  const label = document.querySelector("label[for=len-value]");
  input.disabled = !mode;
  if (mode === "words") {
    label.textContent = "How many words";
    input.max = "100000";
    if (Number(input.value) < 10) input.value = "60";
  } else if (mode === "ratio") {
    label.textContent = "Percent of the text";
    input.max = "100";
    if (Number(input.value) > 100) input.value = "30";
  } else {
    label.textContent = "How many sentences";
    input.max = "200";
    if (Number(input.value) > 200) input.value = "3";
  }
}

/** The highlight query first, then every query of the subscriber's watchlists. */
function highlightQueries() {
  const qs = [];
  const h = $("highlight").value.trim();
  if (h) qs.push(h);
  for (const w of state.watchlists) for (const q of w.queries) if (!qs.includes(q)) qs.push(q);
  return qs;
}

function queryOwners(q) {
  const owners = state.watchlists.filter((w) => w.queries.includes(q)).map((w) => w.name);
  if (q === $("highlight").value.trim()) owners.unshift("highlight query");
  return owners;
}

async function summarise() {
  if (!$("article").value.trim()) {
    setStatus("try-status", "Paste or drop an article first.", "error");
    return;
  }
  if (needsToken("try-status")) return;
  const seq = ++state.trySeq;
  setStatus("try-status", "Summarising…");
  const watch = highlightQueries();
  const res = await api("POST", "/v1/summarize", { ...articleBody(), ...lengthBudget(), watch });
  if (seq !== state.trySeq) return;
  const box = $("highlight-errors");
  const hl = $("highlight");
  if (res.status === 422 && res.data && res.data.code === "invalid_query") {
    showQueryErrors(box, res.data.errors, (field) =>
      field === "watch.0" && hl.value.trim()
        ? { query: hl.value.trim(), label: "Highlight query" }
        : null,
    );
    hl.setAttribute("aria-invalid", "true");
    setStatus("try-status", "The highlight query has an error (shown under it).", "error");
    return;
  }
  box.replaceChildren();
  hl.removeAttribute("aria-invalid");
  if (!res.ok) {
    setStatus("try-status", problemText(res), "error");
    return;
  }
  state.doc = res.data;
  renderResult(res.data);
  renderWatchlists();
  setStatus("try-status", "Summarised: " + plural(res.data.summary.length, "sentence") + ".", "ok");
}

function renderResult(d) {
  $("result").hidden = false;
  $("r-lang").textContent = langName(d.lang);
  const dl = d.dateline;
  const parts = dl ? [dl.place, dl.date, dl.agency].filter(Boolean) : [];
  $("r-dateline").textContent = parts.length ? parts.join(" · ") : "none found";
  const matches = d.matches || [];
  const hitsOf = (field) =>
    matches.flatMap((m) => m.hits.filter((h) => h.field === field).map((h) => ({ ...h, query: m.query })));
  const byQuery = (r) => "matches " + r.query;
  $("r-title").replaceChildren(d.title ? marked(d.title, hitsOf("title"), byQuery) : "(none)");
  $("r-summary").replaceChildren(...d.summary.map((s) => el("li", { dir: "auto" }, s)));
  $("r-keywords").replaceChildren(...d.keywords.map((k) => el("li", { dir: "auto" }, k)));
  const asked = highlightQueries().length;
  $("r-hits-note").textContent = !asked
    ? "No queries to look for: type a highlight query above, or create a watchlist."
    : matches.length
      ? plural(matches.length, "query", "queries") + " of " + asked + " match this text."
      : "None of the " + plural(asked, "query", "queries") + " matches this text.";
  $("r-hits").replaceChildren(
    ...matches.map((m) =>
      el(
        "li",
        {},
        el("code", { class: "q", dir: "auto" }, m.query),
        " " + plural(m.hits.length, "hit") + " · " + queryOwners(m.query).join(", "),
        snippetsEl(m.hits, 3),
      ),
    ),
  );
  $("r-text").replaceChildren(marked(d.text || "", hitsOf("text"), byQuery));
}

function readDrop(ev) {
  ev.preventDefault();
  const dt = ev.dataTransfer;
  if (!dt) return;
  const file = dt.files && dt.files[0];
  if (file) {
    file.text().then((t) => {
      $("article").value = t;
      summarise();
    });
    return;
  }
  const t = dt.getData("text/html") || dt.getData("text/plain");
  if (t) {
    $("article").value = t;
    summarise();
  }
}

// ---------- watchlists ----------

/** Non-empty lines of the queries box, with where each starts in the box. */
function queryItems() {
  const value = $("wl-queries").value;
  const items = [];
  let offset = 0;
  value.split("\n").forEach((line, i) => {
    const q = line.trim();
    if (q) items.push({ q, line: i + 1, offset: offset + (line.length - line.trimStart().length) });
    offset += line.length + 1;
  });
  return items;
}

function resolveQueryField(items, prefix) {
  return (field) => {
    if (!field || !field.startsWith(prefix)) return null;
    const item = items[Number(field.slice(prefix.length))];
    return item ? { query: item.q, label: "Line " + item.line, item } : null;
  };
}

function renderWatchlists() {
  const list = $("wl-list");
  if (!token()) {
    list.replaceChildren();
    setStatus("wl-status", "Connect with a subscriber token to see its watchlists.");
    return;
  }
  setStatus(
    "wl-status",
    state.watchlists.length ? plural(state.watchlists.length, "watchlist") + "." : "No watchlists yet: create one below.",
  );
  list.replaceChildren(...state.watchlists.map(watchlistItem));
}

function watchlistItem(w) {
  const meta = [];
  if (w.langs && w.langs.length) meta.push(el("span", {}, "languages: " + w.langs.join(", ")));
  if (w.sources && w.sources.length) meta.push(el("span", {}, "sources: " + w.sources.join(", ")));
  meta.push(el("span", {}, "updated ", timeEl(w.updated_at)));
  let verdict = null;
  if (state.doc && state.doc.matches) {
    const hits = state.doc.matches.filter((m) => w.queries.includes(m.query));
    const langOk = !w.langs || !w.langs.length || w.langs.some((l) => state.doc.lang === l || state.doc.lang.startsWith(l + "-"));
    const n = hits.reduce((a, m) => a + m.hits.length, 0);
    verdict = el(
      "p",
      { class: "note" },
      hits.length && langOk
        ? "Matches the article above (" + plural(n, "hit") + ")."
        : "Does not match the article above.",
    );
  }
  const del = el("button", { type: "button", class: "danger", "aria-label": "Delete watchlist " + w.name }, "Delete");
  del.addEventListener("click", () => deleteWatchlist(w, del));
  return el(
    "li",
    { "data-id": w.id },
    el("h3", { dir: "auto" }, w.name),
    el("div", { class: "meta" }, meta),
    el("ul", { class: "chips" }, w.queries.map((q) => el("li", {}, el("code", { class: "q", dir: "auto" }, q)))),
    verdict,
    el(
      "div",
      { class: "buttons" },
      el("button", { type: "button", class: "quiet", "aria-label": "Edit watchlist " + w.name, onclick: () => editWatchlist(w) }, "Edit"),
      del,
    ),
  );
}

function editWatchlist(w) {
  state.editing = w.id;
  $("wl-form-h").textContent = "Edit watchlist";
  $("wl-save").textContent = "Save changes";
  $("wl-cancel").hidden = false;
  $("wl-name").value = w.name;
  $("wl-queries").value = w.queries.join("\n");
  $("wl-langs").value = (w.langs || []).join(", ");
  $("wl-sources").value = (w.sources || []).join(", ");
  setStatus("wl-form-status", "");
  $("wl-name").focus();
  previewWatchlist();
}

function resetWatchlistForm() {
  state.editing = null;
  $("wl-form").reset();
  $("wl-form-h").textContent = "New watchlist";
  $("wl-save").textContent = "Create watchlist";
  $("wl-cancel").hidden = true;
  $("wl-errors").replaceChildren();
  $("wl-queries").removeAttribute("aria-invalid");
  $("wl-preview").replaceChildren();
  $("wl-preview").className = "preview";
}

async function deleteWatchlist(w, button) {
  if (button.dataset.armed !== "1") {
    button.dataset.armed = "1";
    button.textContent = "Really delete?";
    setTimeout(() => {
      button.dataset.armed = "";
      button.textContent = "Delete";
    }, 5000);
    return;
  }
  const res = await api("DELETE", "/v1/watchlists/" + encodeURIComponent(w.id));
  if (!res.ok && res.status !== 404) {
    setStatus("wl-status", problemText(res), "error");
    return;
  }
  state.watchlists = state.watchlists.filter((x) => x.id !== w.id);
  if (state.editing === w.id) resetWatchlistForm();
  renderWatchlists();
  setStatus("wl-status", "Deleted " + w.name + ".", "ok");
  $("wl-h").focus();
}

async function saveWatchlist() {
  if (needsToken("wl-form-status")) return;
  const items = queryItems();
  const body = { name: $("wl-name").value.trim(), queries: items.map((i) => i.q) };
  const langs = listOf($("wl-langs").value);
  const sources = listOf($("wl-sources").value);
  if (state.editing) {
    body.langs = langs.length ? langs : null;
    body.sources = sources.length ? sources : null;
  } else {
    if (langs.length) body.langs = langs;
    if (sources.length) body.sources = sources;
    if (actingFor()) body.subscriber_id = actingFor();
  }
  setStatus("wl-form-status", "Saving…");
  const res = state.editing
    ? await api("PATCH", "/v1/watchlists/" + encodeURIComponent(state.editing), body)
    : await api("POST", "/v1/watchlists", body);
  if (res.status === 422 && res.data && res.data.code === "invalid_query") {
    const resolve = resolveQueryField(items, "queries.");
    showQueryErrors($("wl-errors"), res.data.errors, resolve);
    const ta = $("wl-queries");
    ta.setAttribute("aria-invalid", "true");
    const first = res.data.errors && res.data.errors[0];
    const info = first && resolve(first.field);
    if (info) {
      const at = info.item.offset + Math.min(first.position || 0, info.query.length);
      ta.focus();
      ta.setSelectionRange(at, Math.min(at + 1, ta.value.length));
    }
    setStatus("wl-form-status", "Not saved: a query has an error (shown under the queries).", "error");
    return;
  }
  if (!res.ok) {
    setStatus("wl-form-status", "Not saved: " + problemText(res), "error");
    return;
  }
  const saved = res.data;
  const i = state.watchlists.findIndex((w) => w.id === saved.id);
  if (i >= 0) state.watchlists[i] = saved;
  else state.watchlists.push(saved);
  const verb = state.editing ? "Saved " : "Created ";
  resetWatchlistForm();
  renderWatchlists();
  setStatus("wl-form-status", verb + saved.name + ".", "ok");
  if (state.doc) summarise();
}

async function previewWatchlist() {
  const box = $("wl-preview");
  const errors = $("wl-errors");
  const items = queryItems();
  const seq = ++state.previewSeq;
  const say = (text, kind) => {
    box.className = "preview" + (kind ? " " + kind : "");
    box.replaceChildren(...[text].flat());
  };
  if (!items.length) {
    errors.replaceChildren();
    $("wl-queries").removeAttribute("aria-invalid");
    say("");
    return;
  }
  if (!$("article").value.trim()) {
    say("Paste an article above to see whether these queries would match it.");
    return;
  }
  if (!token()) {
    say("Connect with a token to preview matches.");
    return;
  }
  const res = await api("POST", "/v1/summarize", { ...articleBody(), sentences: 1, watch: items.map((i) => i.q) });
  if (seq !== state.previewSeq) return;
  if (res.status === 422 && res.data && res.data.code === "invalid_query") {
    showQueryErrors(errors, res.data.errors, resolveQueryField(items, "watch."));
    $("wl-queries").setAttribute("aria-invalid", "true");
    say("Fix the query errors to see whether the article would match.", "no");
    return;
  }
  errors.replaceChildren();
  $("wl-queries").removeAttribute("aria-invalid");
  if (!res.ok) {
    say(problemText(res), "no");
    return;
  }
  const d = res.data;
  const langs = listOf($("wl-langs").value).map((l) => l.toLowerCase());
  const langOk = !langs.length || langs.some((l) => d.lang === l || d.lang.startsWith(l + "-"));
  const sourcesNote = listOf($("wl-sources").value).length
    ? " (sources are checked on ingest, against the article's domain)"
    : "";
  if (d.matches.length && langOk) {
    say(
      [
        "Would match the article above: ",
        d.matches.map((m, i) => [
          i ? ", " : "",
          el("code", { class: "q", dir: "auto" }, m.query),
          " (" + plural(m.hits.length, "hit") + ")",
        ]),
        sourcesNote,
      ],
      "yes",
    );
  } else if (d.matches.length) {
    say("Would not match: the article's language is " + d.lang + ", not " + langs.join(", ") + ".", "no");
  } else {
    say("Would not match the article above." + sourcesNote, "no");
  }
}

// ---------- alerts ----------

function nextCursor(d) {
  if (d && d.next_cursor) return d.next_cursor;
  if (d && d.next_url) {
    try {
      return new URL(d.next_url, location.href).searchParams.get("cursor");
    } catch {
      return null;
    }
  }
  return null;
}

const STATUS_TEXT = {
  pending: "delivery pending",
  delivered: "delivered",
  failed: "delivery failed",
  feed_only: "feed only (no webhook)",
  paused: "paused",
};

function alertFacts(item) {
  const x = item._wirebrief || {};
  return {
    status: x.status || "pending",
    also: Array.isArray(x.also_reported) ? x.also_reported : [],
    matches: Array.isArray(x.matches) ? x.matches : [],
    watchlist: x.watchlist_name || (item.tags && item.tags[0]) || "",
  };
}

function statusBadge(status) {
  return el("span", { class: "badge " + status, "data-role": "status" }, STATUS_TEXT[status] || status);
}

function alsoEl(also) {
  const n = also.length;
  return el("span", { "data-role": "also" }, n ? "also reported by " + plural(n, "other outlet") : "no other outlet yet");
}

function renderAlert(item) {
  const f = alertFacts(item);
  const url = item.url && httpUrl(item.url);
  const title = item.title || "(untitled article)";
  const status = el("span", { class: "status", role: "status" });
  const redeliver = el(
    "button",
    { type: "button", class: "quiet", "aria-label": "Redeliver the alert " + title, disabled: f.status === "feed_only" },
    "Redeliver",
  );
  redeliver.addEventListener("click", () => redeliverAlert(item.id, li, status));
  const li = el(
    "li",
    { "data-id": item.id, class: "alert" },
    el("h3", { dir: "auto" }, url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank", dir: "auto" }, title) : title),
    el(
      "div",
      { class: "meta" },
      timeEl(item.date_published),
      el("span", {}, "watchlist ", el("bdi", {}, f.watchlist)),
      statusBadge(f.status),
      alsoEl(f.also),
    ),
    item.summary ? el("p", { dir: "auto" }, item.summary) : null,
    el(
      "ul",
      { class: "hits" },
      f.matches.map((m) =>
        el("li", {}, el("code", { class: "q", dir: "auto" }, m.query), " " + plural(m.hits.length, "hit"), snippetsEl(m.hits, 2)),
      ),
    ),
    f.also.length
      ? el(
          "details",
          {},
          el("summary", {}, "Also reported (" + f.also.length + ")"),
          el(
            "ul",
            {},
            f.also.map((r) => {
              const u = r.url && httpUrl(r.url);
              return el("li", { dir: "auto" }, u ? el("a", { href: u, rel: "noopener noreferrer", target: "_blank" }, r.title || u) : r.title);
            }),
          ),
        )
      : null,
    el("div", { class: "buttons" }, redeliver, status),
  );
  return li;
}

function updateAlert(li, item) {
  const f = alertFacts(item);
  li.querySelector("[data-role=status]").replaceWith(statusBadge(f.status));
  li.querySelector("[data-role=also]").replaceWith(alsoEl(f.also));
}

async function refreshAlerts(more) {
  if (!token()) return;
  let path = "/v1/feed?limit=20";
  if (more && state.feedCursor) path += "&cursor=" + encodeURIComponent(state.feedCursor);
  const res = await api("GET", scoped(path));
  if (!res.ok) {
    if (res.status === 403) setStatus("alerts-status", "Alerts need a subscriber token.");
    else if (res.status === 422 && !actingFor())
      setStatus("alerts-status", "An admin token reads one subscriber's alerts: enter its id at the top.");
    else setStatus("alerts-status", problemText(res), "error");
    return;
  }
  const items = res.data.items || [];
  const list = $("alerts-list");
  if (more) {
    state.olderLoaded = true;
    for (const item of items) {
      if (state.alertNodes.has(item.id)) continue;
      const li = renderAlert(item);
      state.alertNodes.set(item.id, li);
      list.append(li);
    }
    state.feedCursor = nextCursor(res.data);
  } else {
    // Newest first: new alerts go above the ones shown; shown ones get their new status.
    let anchor = list.firstChild;
    for (const item of items) {
      const known = state.alertNodes.get(item.id);
      if (known) {
        updateAlert(known, item);
        anchor = known.nextSibling;
      } else {
        const li = renderAlert(item);
        state.alertNodes.set(item.id, li);
        list.insertBefore(li, anchor);
      }
    }
    if (!state.olderLoaded) state.feedCursor = nextCursor(res.data);
  }
  $("alerts-more").hidden = !state.feedCursor;
  const n = state.alertNodes.size;
  setStatus(
    "alerts-status",
    (n ? plural(n, "alert") + " shown, newest first." : "No alerts yet.") + " Checked at " + new Date().toLocaleTimeString() + ".",
  );
}

async function redeliverAlert(id, li, status) {
  status.textContent = "Queueing…";
  const res = await api("POST", "/v1/alerts/" + encodeURIComponent(id) + "/redeliver");
  if (!res.ok) {
    status.textContent = problemText(res);
    status.className = "status error";
    return;
  }
  li.querySelector("[data-role=status]").replaceWith(statusBadge("pending"));
  status.textContent = "Queued for delivery again.";
  status.className = "status ok";
  setTimeout(() => refreshDeliveries(false), 3000);
}

// ---------- delivery log ----------

async function refreshDeliveries(more) {
  if (!token()) return;
  let path = "/v1/deliveries?limit=50";
  if (more && state.dlvCursor) path += "&cursor=" + encodeURIComponent(state.dlvCursor);
  const res = await api("GET", scoped(path));
  if (!res.ok) {
    if (res.status === 403) setStatus("dlv-status", "The delivery log needs a subscriber token.");
    else if (res.status === 422 && !actingFor())
      setStatus("dlv-status", "An admin token reads one subscriber's log: enter its id at the top.");
    else setStatus("dlv-status", problemText(res), "error");
    return;
  }
  const rows = (res.data.items || []).map((a) =>
    el(
      "tr",
      {},
      el("td", {}, timeEl(a.at)),
      el("td", {}, a.kind),
      el("td", {}, a.alert_id ? el("code", { title: a.alert_id }, a.alert_id.slice(0, 14)) : "—"),
      el("td", {}, String(a.attempt)),
      el("td", {}, (a.ok ? "ok " : "failed ") + (a.status ? String(a.status) : "")),
      el("td", {}, Math.round(a.latency_ms) + " ms"),
      el("td", { class: "err" }, a.error || ""),
    ),
  );
  const body = $("dlv-body");
  state.dlvOlderLoaded = state.dlvOlderLoaded || !!more;
  if (more) body.append(...rows);
  else body.replaceChildren(...rows);
  state.dlvCursor = res.data.next_cursor || null;
  $("dlv-more").hidden = !state.dlvCursor;
  const n = body.children.length;
  setStatus("dlv-status", n ? plural(n, "attempt") + " shown, newest first." : "No delivery attempts yet (alerts without a webhook are feed only).");
}

// ---------- channels and feed keys (only when the API has them) ----------

async function probeChannels() {
  const doc = await api("GET", "/openapi.json");
  if (!doc.ok || !doc.data || !doc.data.paths || !doc.data.paths["/v1/channels"]) return;
  const res = await api("GET", scoped("/v1/channels"));
  if (res.status !== 200) return;
  $("channels").hidden = false;
  $("channels-link").hidden = false;
  renderChannels(res.data.items || []);
}

function renderChannels(items) {
  setStatus("ch-status", items.length ? plural(items.length, "channel") + "." : "No channels yet.");
  $("ch-list").replaceChildren(
    ...items.map((ch) => {
      const out = el("span", { class: "status", role: "status" });
      const label = (ch.name || ch.type) + " channel";
      return el(
        "li",
        {},
        el("h3", { dir: "auto" }, ch.name || ch.type),
        el("div", { class: "meta" }, el("span", {}, ch.type), el("span", { dir: "ltr" }, ch.url || "")),
        el(
          "div",
          { class: "buttons" },
          el("button", { type: "button", class: "quiet", "aria-label": "Send a test to the " + label, onclick: () => testChannel(ch, out) }, "Send a test"),
          el("button", { type: "button", class: "danger", "aria-label": "Remove the " + label, onclick: () => removeChannel(ch) }, "Remove"),
          out,
        ),
      );
    }),
  );
}

async function reloadChannels() {
  const res = await api("GET", scoped("/v1/channels"));
  if (res.ok) renderChannels(res.data.items || []);
}

async function testChannel(ch, out) {
  out.textContent = "Sending…";
  const res = await api("POST", "/v1/channels/" + encodeURIComponent(ch.id) + "/test");
  out.textContent = res.ok ? "Test sent." : problemText(res);
  out.className = "status " + (res.ok ? "ok" : "error");
}

async function removeChannel(ch) {
  const res = await api("DELETE", "/v1/channels/" + encodeURIComponent(ch.id));
  setStatus("ch-status", res.ok ? "Removed." : problemText(res), res.ok ? "ok" : "error");
  reloadChannels();
}

async function addChannel() {
  const body = { type: $("ch-type").value, url: $("ch-url").value.trim() };
  const name = $("ch-name").value.trim();
  if (name) body.name = name;
  if (actingFor()) body.subscriber_id = actingFor();
  const res = await api("POST", "/v1/channels", body);
  if (!res.ok) {
    setStatus("ch-form-status", "Not added: " + problemText(res), "error");
    return;
  }
  const secret = res.data && (res.data.secret || res.data.webhook_secret);
  setStatus("ch-form-status", "Added." + (secret ? " Its signing secret (shown once): " + secret : ""), "ok");
  $("ch-form").reset();
  reloadChannels();
}

async function createFeedKey() {
  const res = await api("POST", "/v1/feed-keys", {});
  if (!res.ok) {
    setStatus("fk-status", problemText(res), "error");
    return;
  }
  const d = res.data || {};
  const key = d.key || d.token;
  const url = d.url || d.feed_url || (key ? location.origin + "/feeds/" + encodeURIComponent(key) + ".atom" : "");
  $("fk-result").hidden = !url;
  $("fk-url").value = url;
  setStatus("fk-status", url ? "Copy it now: it is not shown again." : "Created.", "ok");
}

async function copyFeedUrl() {
  const input = $("fk-url");
  try {
    await navigator.clipboard.writeText(input.value);
    setStatus("fk-status", "Copied.", "ok");
  } catch {
    input.select();
    setStatus("fk-status", "Select the URL and copy it (the browser did not allow copying).");
  }
}

// ---------- wiring ----------

function onSubmit(id, fn) {
  $(id).addEventListener("submit", (ev) => {
    ev.preventDefault();
    fn();
  });
}

function init() {
  onSubmit("auth", connect);
  onSubmit("article-form", summarise);
  onSubmit("wl-form", saveWatchlist);
  onSubmit("ch-form", addChannel);
  $("forget").addEventListener("click", forget);
  $("wl-cancel").addEventListener("click", resetWatchlistForm);
  $("alerts-refresh").addEventListener("click", () => refreshAlerts(false));
  $("alerts-more").addEventListener("click", () => refreshAlerts(true));
  $("dlv-refresh").addEventListener("click", () => refreshDeliveries(false));
  $("dlv-more").addEventListener("click", () => refreshDeliveries(true));
  $("fk-create").addEventListener("click", createFeedKey);
  $("fk-copy").addEventListener("click", copyFeedUrl);
  const article = $("article");
  article.addEventListener("dragover", (ev) => ev.preventDefault());
  article.addEventListener("drop", readDrop);
  article.addEventListener("paste", () => setTimeout(summarise, 0));
  const again = debounce(() => {
    if (state.doc) summarise();
  }, 400);
  $("len-mode").addEventListener("change", () => {
    onLengthMode();
    again();
  });
  $("len-value").addEventListener("input", again);
  const preview = debounce(previewWatchlist, 400);
  for (const id of ["wl-queries", "wl-langs", "wl-sources"]) $(id).addEventListener("input", preview);
  article.addEventListener("input", debounce(() => {
    if (queryItems().length) previewWatchlist();
  }, 800));
  onLengthMode();
  $("as-subscriber").value = actingFor();
  renderWatchlists();
  if (token()) connect();
  else setStatus("auth-status", "Paste a subscriber token to start.");
}

init();
`;
