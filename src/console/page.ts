/**
 * The console's HTML shell. Static: the script fills it in. No inline script or style
 * (the CSP forbids both); every piece of user text sits in an element with `dir="auto"`.
 */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wirebrief console</title>
<link rel="icon" href="/console/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/console.css">
<script type="module" src="/console/console.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to the console</a>
<header class="top">
  <h1>wirebrief <span>console</span></h1>
  <form id="auth" class="auth" autocomplete="off">
    <div class="field">
      <label for="token">API token</label>
      <input id="token" name="token" type="password" autocomplete="off" spellcheck="false"
        aria-describedby="token-help">
      <small id="token-help">A subscriber token. Kept only in this tab (sessionStorage) and sent only to this service.</small>
    </div>
    <div class="field">
      <label for="as-subscriber">Subscriber id <small>(admin tokens only)</small></label>
      <input id="as-subscriber" name="as-subscriber" autocomplete="off" spellcheck="false">
    </div>
    <div class="buttons">
      <button type="submit">Connect</button>
      <button type="button" id="forget" class="quiet">Forget token</button>
    </div>
    <p id="auth-status" class="status" role="status"></p>
  </form>
  <nav aria-label="Sections">
    <a href="#try">Article</a> <a href="#watchlists">Watchlists</a>
    <a href="#alerts">Alerts</a> <a href="#deliveries">Delivery log</a>
    <a href="#channels" id="channels-link" hidden>Channels</a>
  </nav>
</header>
<main id="main">
<section id="try" aria-labelledby="try-h">
  <h2 id="try-h">Try an article</h2>
  <form id="article-form" class="stack">
    <div class="field">
      <label for="article">Article text or HTML</label>
      <textarea id="article" name="article" rows="9" dir="auto" spellcheck="false"
        aria-describedby="article-help"></textarea>
      <small id="article-help">Paste it, or drop a text or HTML file (or a selection from another page) on the box. Nothing is stored.</small>
    </div>
    <div class="grid">
      <div class="field">
        <label for="title">Title <small>(optional)</small></label>
        <input id="title" name="title" dir="auto">
      </div>
      <div class="field">
        <label for="published">Published <small>(optional, for the dateline's year)</small></label>
        <input id="published" name="published" type="date">
      </div>
      <div class="field">
        <label for="highlight">Highlight query <small>(optional, watch syntax)</small></label>
        <input id="highlight" name="highlight" dir="auto" spellcheck="false"
          aria-describedby="highlight-errors">
        <div id="highlight-errors" class="errors"></div>
      </div>
    </div>
    <fieldset class="length">
      <legend>Summary length</legend>
      <div class="field">
        <label for="len-mode">Measure</label>
        <select id="len-mode" name="len-mode">
          <option value="">automatic</option>
          <option value="sentences" selected>sentences</option>
          <option value="words">words</option>
          <option value="ratio">share of the text</option>
        </select>
      </div>
      <div class="field">
        <label for="len-value">How many</label>
        <input id="len-value" name="len-value" type="number" min="1" max="200" step="1" value="3">
      </div>
    </fieldset>
    <div class="buttons"><button type="submit">Summarise</button></div>
    <p id="try-status" class="status" role="status"></p>
  </form>
  <div id="result" class="result" hidden>
    <dl class="facts">
      <div><dt>Language</dt><dd id="r-lang"></dd></div>
      <div><dt>Dateline</dt><dd id="r-dateline" dir="auto"></dd></div>
      <div><dt>Title</dt><dd id="r-title" dir="auto"></dd></div>
    </dl>
    <h3>Summary</h3>
    <ol id="r-summary" class="summary"></ol>
    <h3>Keywords</h3>
    <ul id="r-keywords" class="chips"></ul>
    <h3>Watch hits</h3>
    <p id="r-hits-note" class="note"></p>
    <ul id="r-hits" class="hits"></ul>
    <h3>Text</h3>
    <div id="r-text" class="text" dir="auto" tabindex="0" role="region" aria-label="Article text with watch hits highlighted"></div>
  </div>
</section>

<section id="watchlists" aria-labelledby="wl-h">
  <h2 id="wl-h">Watchlists</h2>
  <p id="wl-status" class="status" role="status"></p>
  <ul id="wl-list" class="cards"></ul>
  <form id="wl-form" class="stack card">
    <h3 id="wl-form-h">New watchlist</h3>
    <div class="field">
      <label for="wl-name">Name</label>
      <input id="wl-name" name="wl-name" dir="auto" required maxlength="200">
    </div>
    <div class="field">
      <label for="wl-queries">Queries <small>(one a line; any one matching is a match)</small></label>
      <textarea id="wl-queries" name="wl-queries" rows="4" dir="auto" spellcheck="false" required
        aria-describedby="wl-queries-help wl-errors"></textarea>
      <small id="wl-queries-help">Words, "phrases", "near words"~10, prefix*, title:word, AND, OR, NOT, -word, (groups).</small>
      <div id="wl-errors" class="errors"></div>
    </div>
    <div class="grid">
      <div class="field">
        <label for="wl-langs">Languages <small>(optional, comma separated: ar, en)</small></label>
        <input id="wl-langs" name="wl-langs" spellcheck="false">
      </div>
      <div class="field">
        <label for="wl-sources">Sources <small>(optional, comma separated domains)</small></label>
        <input id="wl-sources" name="wl-sources" spellcheck="false">
      </div>
    </div>
    <div id="wl-preview" class="preview" role="status" aria-live="polite"></div>
    <div class="buttons">
      <button type="submit" id="wl-save">Create watchlist</button>
      <button type="button" id="wl-cancel" class="quiet" hidden>Cancel editing</button>
    </div>
    <p id="wl-form-status" class="status" role="status"></p>
  </form>
</section>

<section id="alerts" aria-labelledby="alerts-h">
  <h2 id="alerts-h">Alerts</h2>
  <div class="buttons"><button type="button" id="alerts-refresh">Refresh alerts</button></div>
  <p id="alerts-status" class="status" role="status"></p>
  <ol id="alerts-list" class="cards alerts"></ol>
  <div class="buttons"><button type="button" id="alerts-more" hidden>Older alerts</button></div>
</section>

<section id="deliveries" aria-labelledby="dlv-h">
  <h2 id="dlv-h">Delivery log</h2>
  <div class="buttons"><button type="button" id="dlv-refresh">Refresh the log</button></div>
  <p id="dlv-status" class="status" role="status"></p>
  <div class="scroll" tabindex="0" role="region" aria-label="Delivery attempts, scrollable table">
    <table id="dlv-table" class="log">
      <thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Alert</th><th scope="col">Attempt</th><th scope="col">Status</th><th scope="col">Latency</th><th scope="col">Error</th></tr></thead>
      <tbody id="dlv-body"></tbody>
    </table>
  </div>
  <div class="buttons"><button type="button" id="dlv-more" hidden>Older attempts</button></div>
</section>

<!-- CHANNELS: shown only when the API documents and answers GET /v1/channels (the channels issue). -->
<section id="channels" aria-labelledby="ch-h" hidden>
  <h2 id="ch-h">Channels and feed keys</h2>
  <p id="ch-status" class="status" role="status"></p>
  <ul id="ch-list" class="cards"></ul>
  <form id="ch-form" class="stack card">
    <h3>Add a channel</h3>
    <div class="grid">
      <div class="field">
        <label for="ch-type">Type</label>
        <select id="ch-type" name="ch-type">
          <option value="slack">Slack</option><option value="discord">Discord</option>
          <option value="teams">Teams</option><option value="webhook">Webhook</option>
        </select>
      </div>
      <div class="field">
        <label for="ch-url">Webhook URL</label>
        <input id="ch-url" name="ch-url" type="url" required spellcheck="false">
      </div>
      <div class="field">
        <label for="ch-name">Name <small>(optional)</small></label>
        <input id="ch-name" name="ch-name" dir="auto">
      </div>
    </div>
    <div class="buttons"><button type="submit">Add channel</button></div>
    <p id="ch-form-status" class="status" role="status"></p>
  </form>
  <div class="card stack">
    <h3>Feed URL for a feed reader</h3>
    <div class="buttons"><button type="button" id="fk-create">Create a feed key</button></div>
    <div class="field" id="fk-result" hidden>
      <label for="fk-url">Feed URL <small>(shown once; Atom)</small></label>
      <input id="fk-url" readonly spellcheck="false">
      <div class="buttons"><button type="button" id="fk-copy">Copy the feed URL</button></div>
    </div>
    <p id="fk-status" class="status" role="status"></p>
  </div>
</section>
</main>
<footer><p>The API behind this page: <a href="/docs">reference</a> · <a href="/openapi.json">OpenAPI</a></p></footer>
</body>
</html>
`;

/** A small favicon, so the browser does not ask for a missing /favicon.ico. */
export const CONSOLE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4e89"/><path d="M7 10h18M7 16h18M7 22h11" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>`;
