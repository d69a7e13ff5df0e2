/** The console's stylesheet: one column on a phone, logical properties so RTL text lays out right. */
export const CONSOLE_CSS = `
:root {
  --fg: #1b1f24; --muted: #57606a; --bg: #f6f8fa; --card: #fff; --line: #d0d7de;
  --accent: #1d4e89; --accent-fg: #fff; --mark: #ffe58a; --bad: #a40e26; --good: #116329;
  --warn: #7d4e00; --radius: 6px;
  color-scheme: light;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif;
  line-height: 1.5; color: var(--fg); background: var(--bg);
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; overflow-wrap: anywhere; }
.skip { position: absolute; inset-inline-start: -999px; }
.skip:focus { inset-inline-start: 8px; top: 8px; background: var(--card); padding: 4px 8px; z-index: 10; }
header.top, main, footer { max-width: 1100px; margin: 0 auto; padding: 12px 16px; }
header.top { border-block-end: 1px solid var(--line); }
h1 { font-size: 1.4rem; margin: 0 0 8px; color: var(--accent); }
h1 span { color: var(--muted); font-weight: 400; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
h3 { font-size: 1rem; margin: 16px 0 6px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
  padding: 16px; margin-block: 16px; }
nav a { margin-inline-end: 12px; }
a { color: var(--accent); }
label { display: block; font-weight: 600; margin-block-end: 2px; }
label small, .field > small, .note { font-weight: 400; color: var(--muted); }
.field > small { display: block; font-size: .85rem; }
input, select, textarea, button { font: inherit; }
input, select, textarea { width: 100%; max-width: 100%; padding: 6px 8px; border: 1px solid #8c959f;
  border-radius: var(--radius); background: #fff; color: var(--fg); }
textarea { resize: vertical; min-height: 4rem; }
input[type=number] { max-width: 8rem; }
button { padding: 6px 14px; border-radius: var(--radius); border: 1px solid var(--accent);
  background: var(--accent); color: var(--accent-fg); cursor: pointer; min-height: 36px; }
button.quiet { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
button:disabled { opacity: .55; cursor: not-allowed; }
:focus-visible { outline: 3px solid #e36209; outline-offset: 2px; }
.auth { display: grid; gap: 8px; grid-template-columns: 1fr; }
@media (min-width: 800px) { .auth { grid-template-columns: 2fr 1fr auto; align-items: end; } }
.auth .status { grid-column: 1 / -1; margin: 0; }
.stack > * + * { margin-block-start: 10px; }
.grid { display: grid; gap: 10px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 220px), 1fr)); }
.buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-block: 6px; }
fieldset.length { border: 1px solid var(--line); border-radius: var(--radius); display: flex;
  flex-wrap: wrap; gap: 12px; padding: 8px 12px; }
fieldset.length .field { flex: 1 1 140px; }
.status { min-height: 1.5em; margin: 4px 0; color: var(--muted); }
.status.error, .errors { color: var(--bad); }
.status.ok { color: var(--good); }
.errors:empty { display: none; }
.errors p { margin: 4px 0; }
.errors code { display: block; white-space: pre-wrap; background: #fff5f5; border: 1px solid #ffc1c0;
  border-radius: var(--radius); padding: 4px 6px; color: var(--fg); unicode-bidi: plaintext; }
mark { background: var(--mark); color: inherit; border-radius: 2px; padding: 0 1px; }
mark.err { background: #ffc1c0; outline: 1px solid var(--bad); }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr)); gap: 8px; margin: 0; }
.facts dt { font-weight: 600; color: var(--muted); font-size: .85rem; }
.facts dd { margin: 0; }
.summary li, .hits li { margin-block: 4px; }
.chips { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; margin: 0; }
.chips li, .badge, code.q { background: #eef2f7; border: 1px solid var(--line); border-radius: 999px;
  padding: 0 10px; font-size: .9rem; }
code.q { border-radius: var(--radius); font-family: ui-monospace, monospace; padding: 0 6px; unicode-bidi: isolate; }
.text { white-space: pre-wrap; unicode-bidi: plaintext; border: 1px solid var(--line);
  border-radius: var(--radius); padding: 10px 12px; max-height: 28rem; overflow-y: auto; background: #fcfcfd; }
.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 10px; }
.card { border: 1px solid var(--line); border-radius: var(--radius); padding: 12px; background: #fff; }
.cards > li { border: 1px solid var(--line); border-radius: var(--radius); padding: 12px; }
.cards h3 { margin-block-start: 0; }
.meta { color: var(--muted); font-size: .9rem; display: flex; flex-wrap: wrap; gap: 4px 12px; }
.badge.delivered { color: var(--good); border-color: #8ddb9e; }
.badge.failed { color: var(--bad); border-color: #ffaba8; }
.badge.pending { color: var(--warn); border-color: #e9c46a; }
.preview:empty { display: none; }
#wl-form { margin-block-start: 12px; }
.hits { padding-inline-start: 1.2em; }
.preview { border-inline-start: 4px solid var(--line); padding-inline-start: 10px; min-height: 1.5em; }
.preview.yes { border-color: var(--good); }
.preview.no { border-color: var(--muted); }
.snippet { margin: 2px 0 6px; unicode-bidi: plaintext; }
.scroll { overflow-x: auto; max-width: 100%; }
table.log { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.log th, table.log td { text-align: start; padding: 4px 8px; border-block-end: 1px solid var(--line); white-space: nowrap; }
table.log td.err { white-space: normal; min-width: 12rem; }
footer { color: var(--muted); font-size: .9rem; }
[hidden] { display: none !important; }
`;
