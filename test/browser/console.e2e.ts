/**
 * Browser test of the web console: Debian's chromium driven by playwright-core against
 * `wrangler dev` on 127.0.0.1 (a free port, a fresh persist dir, a generated ADMIN_TOKEN).
 * It pastes the seed article, checks the summary and the right-to-left الصين hits,
 * creates a watchlist through the page, ingests a matching article through the API and
 * waits for the alert, its delivery and a redelivery; runs axe-core, checks 390 px has no
 * sideways scroll and that the page logged no errors; saves screenshots under
 * test/browser/screenshots/. Stops everything it started, and gives up after 4 minutes.
 *
 *   npm run test:browser        (needs /usr/bin/chromium: apt-get install chromium)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SHOTS = join(ROOT, "test/browser/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const NODE22 = join(ROOT, "node_modules/node/bin/node");
const DEADLINE_MS = 4 * 60_000;
const SEED = readFileSync(join(ROOT, "fixtures/seed-ar-xinhua.txt"), "utf8");
const DROPPED_HTML =
  "<!doctype html><html><head><title>Belarus and China sign a trade pact</title></head><body><nav>Home | World</nav><article><h1>Belarus and China sign a trade pact</h1><p>MINSK, Jan. 26 (Xinhua) -- Belarus and China signed a trade agreement on Tuesday, the Belarusian foreign ministry said.</p><p>The pact covers machinery, potash and dairy exports, and follows a phone call between the two presidents.</p><p>Officials said the first shipments under the agreement would leave Minsk in March.</p></article><footer>Share</footer></body></html>";
const ADMIN = `wb_admin_${randomBytes(24).toString("base64url")}`;
const temp = mkdtempSync(join(tmpdir(), "wirebrief-browser-"));

let wrangler: ChildProcess | null = null;
let receiver: Server | null = null;
let context: BrowserContext | null = null;
let wranglerLog = "";

function step(msg: string) {
  console.log(`browser test: ${msg}`);
}

function check(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`check failed: ${msg}`);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 30_000,
) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function stopAll() {
  await context?.close().catch(() => {});
  context = null;
  if (wrangler?.pid && wrangler.exitCode === null) {
    const pid = wrangler.pid;
    const exited = new Promise((r) => wrangler?.once("exit", r));
    try {
      process.kill(-pid, "SIGTERM"); // its own process group: wrangler and workerd
    } catch {}
    const killed = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r("late"), 5000)),
    ]);
    if (killed === "late") {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {}
    }
  }
  wrangler = null;
  receiver?.close();
  receiver = null;
  rmSync(temp, { recursive: true, force: true });
}

const watchdog = setTimeout(() => {
  console.error(`browser test: gave up after ${DEADLINE_MS / 1000} s`);
  stopAll().finally(() => process.exit(2));
}, DEADLINE_MS);

/** A webhook endpoint that accepts everything and counts deliveries. */
async function startReceiver(): Promise<{ port: number; count: () => number }> {
  let n = 0;
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.headers["webhook-id"]) n++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver?.listen(0, "127.0.0.1", ok));
  return { port: (receiver.address() as AddressInfo).port, count: () => n };
}

async function startWrangler(port: number): Promise<string> {
  const inspector = await freePort();
  const args = [
    join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspector),
    "--persist-to",
    join(temp, "state"),
    "--env-file",
    join(temp, "test.env"),
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
  ];
  const { writeFileSync } = await import("node:fs");
  writeFileSync(join(temp, "test.env"), `ADMIN_TOKEN=${ADMIN}\nALLOW_LOCAL_WEBHOOKS=1\n`, {
    mode: 0o600,
  });
  wrangler = spawn(existsSync(NODE22) ? NODE22 : process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
  });
  const keep = (b: Buffer) => {
    wranglerLog = (wranglerLog + b.toString()).slice(-20_000);
  };
  wrangler.stdout?.on("data", keep);
  wrangler.stderr?.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    "wrangler dev to answer /healthz",
    async () => {
      if (wrangler?.exitCode !== null) throw new Error("wrangler exited");
      return (await fetch(`${base}/healthz`)).ok;
    },
    120_000,
  );
  return base;
}

async function api(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function runAxe(page: Page, axeSource: string, label: string) {
  await page.evaluate(axeSource); // via the DevTools protocol: not subject to the page's CSP
  const result = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))",
  )) as { id: string; impact: string; help: string; nodes: number; targets: string[] }[];
  for (const v of result)
    step(`axe (${label}): ${v.impact} ${v.id}: ${v.help} (${v.nodes}) ${v.targets.join(" | ")}`);
  if (result.length === 0) step(`axe (${label}): no violations`);
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(bad.length === 0, `axe found serious/critical violations: ${bad.map((v) => v.id)}`);
}

async function main() {
  check(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(SHOTS, { recursive: true });
  const hook = await startReceiver();
  const base = await startWrangler(await freePort());
  step(`wrangler dev is up at ${base}`);

  const sub = await api(base, ADMIN, "POST", "/v1/subscribers", {
    name: "arabic desk",
    webhook_url: `http://127.0.0.1:${hook.port}/hook`,
  });
  const ingest = (await api(base, ADMIN, "POST", "/v1/tokens", { name: "scraper" })).token;

  context = await chromium.launchPersistentContext(join(temp, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
    timezoneId: "UTC",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  let expect422 = false;
  /** Every script error, console error or warning and failed request of a tab is a problem. */
  const watchTab = (tab: Page, label: string) => {
    tab.on("pageerror", (e) => problems.push(`${label}: page error: ${e.message}`));
    tab.on("console", (m) => {
      if (m.type() !== "error" && m.type() !== "warning") return;
      const text = m.text();
      // The live preview's 422 for a deliberately bad query is the API answering, not a script error.
      if (expect422 && /status of 422/.test(text)) return;
      problems.push(`${label}: console ${m.type()}: ${text} (${m.location().url})`);
    });
    tab.on("requestfailed", (r) =>
      problems.push(`${label}: request failed: ${r.url()} ${r.failure()?.errorText}`),
    );
  };
  watchTab(page, "console tab");

  const res = await page.goto(`${base}/`);
  check(res?.ok(), "GET / answers 200");
  const csp = res?.headers()["content-security-policy"] ?? "";
  check(/default-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), `strict CSP: ${csp}`);

  step("connect with the subscriber token");
  await page.getByLabel("API token").fill(sub.token);
  await page.getByRole("button", { name: "Connect" }).click();
  await page.locator("#auth-status", { hasText: "Connected" }).waitFor();
  check(
    (await page.evaluate("sessionStorage.getItem('wirebrief.token')")) === sub.token,
    "the token is kept in sessionStorage",
  );
  check((await page.getByLabel("API token").inputValue()) === "", "the token field is cleared");

  step("drop an HTML file on the article box");
  await page.evaluate(
    `(() => { const dt = new DataTransfer(); dt.items.add(new File([${JSON.stringify(DROPPED_HTML)}], "story.html", { type: "text/html" })); document.getElementById("article").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true })); })()`,
  );
  await page.locator("#r-title", { hasText: "Belarus and China sign" }).waitFor();
  check((await page.locator("#r-lang").textContent())?.startsWith("en"), "dropped HTML is English");
  check(
    !((await page.locator("#r-text").textContent()) ?? "").includes("<p>"),
    "the dropped HTML is cleaned to text",
  );
  await page.locator("#channels").waitFor();
  check(
    (await page.locator("#ch-list li").count()) >= 1,
    "channels shown: the subscriber's webhook_url is its first channel",
  );

  step("paste the seed article and summarise it");
  await page.getByLabel("Article text or HTML").fill(SEED);
  await page.getByLabel(/Highlight query/).fill("الصين");
  await page.getByRole("button", { name: "Summarise" }).click();
  await page.locator("#r-lang", { hasText: /^ar/ }).waitFor(); // language ar
  const dateline = (await page.locator("#r-dateline").textContent()) ?? "";
  check(dateline.includes("بكين") && dateline.includes("2021-01-26"), `dateline: ${dateline}`);
  check((await page.locator("#r-summary li").count()) === 3, "3 summary sentences");
  check((await page.locator("#r-keywords li").count()) > 0, "keywords");
  const marks = await page.locator("#r-text mark").allTextContents();
  check(marks.length >= 2, `highlighted hits in the text: ${marks.length}`);
  check(
    marks.every((m) => /^[وفبكل]*(?:ال|ل)صين$/.test(m)), // الصين, والصين, للصين…
    `every mark is a الصين hit: ${marks.join(" | ")}`,
  );
  const dirs = await page.evaluate(
    "[...document.querySelectorAll('#r-text, #r-summary li, #r-hits .snippet')].map(e => getComputedStyle(e).direction)",
  );
  check(
    Array.isArray(dirs) && dirs.length > 3 && dirs.every((d) => d === "rtl"),
    `text, summary and snippets laid out right to left: ${dirs}`,
  );
  // The text's first word (بكين) starts at the right edge of the box, not the left.
  const geometry = (await page.evaluate(
    "(() => { const box = document.querySelector('#r-text'); const t = box.getBoundingClientRect(); const range = document.createRange(); range.setStart(box.firstChild, 0); range.setEnd(box.firstChild, 4); const r = range.getBoundingClientRect(); return { left: r.left - t.left, right: t.right - r.right }; })()",
  )) as { left: number; right: number };
  check(
    geometry.right < 40 && geometry.left > 200,
    `first word on the right: ${JSON.stringify(geometry)}`,
  );

  step("length control: 1 sentence");
  await page.getByLabel("How many sentences").fill("1");
  await waitFor(
    "a 1-sentence summary",
    async () => (await page.locator("#r-summary li").count()) === 1,
  );

  step("a bad query shows its error at the parser's position");
  expect422 = true;
  await page.getByLabel("Name", { exact: true }).fill("China-Belarus");
  const queries = page.getByLabel(/^Queries/);
  await queries.fill("الصين AND (بيلاروسيا");
  const errMark = page.locator("#wl-errors mark.err");
  await errMark.waitFor();
  const errText = (await page.locator("#wl-errors p").first().textContent()) ?? "";
  check(/Line 1, character \d+/.test(errText), `error names line and character: ${errText}`);
  check((await queries.getAttribute("aria-invalid")) === "true", "queries marked invalid");
  await page.locator("#wl-form").scrollIntoViewIfNeeded();
  await page.locator("#wl-form").screenshot({ path: join(SHOTS, "query-error.png") });

  step("fix it: the live preview says the pasted article would match");
  await queries.fill('الصين AND بيلاروسيا\n"الحزام والطريق"\nلوكاشينكو');
  await page.locator("#wl-preview.yes", { hasText: "Would match" }).waitFor();
  await page.waitForTimeout(300);
  expect422 = false;
  check((await page.locator("#wl-errors").textContent()) === "", "errors cleared");
  await page.getByRole("button", { name: "Create watchlist" }).click();
  await page.locator("#wl-list li h3", { hasText: "China-Belarus" }).waitFor();
  await page.locator("#wl-form-status", { hasText: "Created China-Belarus" }).waitFor();

  // A watchlist change is live once the index builder has run (about 300 ms; README).
  await new Promise((r) => setTimeout(r, 1500));
  step("ingest a matching article through the API");
  const ingested = await fetch(
    `${base}/v1/articles?url=${encodeURIComponent("https://arabic.news.cn/seed")}&published_at=2021-01-26`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${ingest}`, "content-type": "text/plain" },
      body: SEED,
    },
  );
  check(ingested.status === 201, `ingest 201, got ${ingested.status}`);

  step("the alert appears in the feed");
  const alert = page.locator("#alerts-list li.alert").first();
  await waitFor("the alert in the console", async () => {
    await page.getByRole("button", { name: "Refresh alerts" }).click();
    await page.waitForTimeout(700);
    return (await alert.count()) > 0;
  });
  check((await alert.locator(".hits mark").count()) > 0, "the alert shows snippets with hits");
  check(
    /also reported|no other outlet/.test((await alert.textContent()) ?? ""),
    "the alert shows its also_reported count",
  );
  await waitFor(
    "the alert to be delivered to the local webhook",
    async () => {
      await page.getByRole("button", { name: "Refresh alerts" }).click();
      await page.waitForTimeout(700);
      return (await alert.locator(".badge.delivered").count()) > 0;
    },
    45_000,
  );
  step(`webhook deliveries received: ${hook.count()}`);

  step("a near-duplicate from another outlet shows as also reported");
  const copy = await fetch(
    `${base}/v1/articles?url=${encodeURIComponent("https://www.example.com/world/china-belarus")}`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${ingest}`, "content-type": "text/plain" },
      body: SEED.replace("مشاركة :", "").replace("(شينخوا)", "(وكالات)"),
    },
  );
  check(copy.status === 201, `near-duplicate ingest 201, got ${copy.status}`);
  await waitFor("also_reported on the alert", async () => {
    await page.getByRole("button", { name: "Refresh alerts" }).click();
    await page.waitForTimeout(700);
    return /also reported by 1 other outlet/.test((await alert.textContent()) ?? "");
  });
  check((await page.locator("#alerts-list li.alert").count()) === 1, "still one alert");

  step("the delivery log lists the attempt");
  await page.getByRole("button", { name: "Refresh the log" }).click();
  await page.locator("#dlv-body tr").first().waitFor();

  step("redeliver");
  await alert.getByRole("button", { name: /Redeliver/ }).click();
  await alert.locator(".status", { hasText: "Queued" }).waitFor();
  await waitFor("the redelivery to reach the webhook", async () => hook.count() >= 2, 45_000);

  step("keyboard: the token field, the article box and the buttons are reachable with Tab");
  await page.evaluate("document.activeElement && document.activeElement.blur()");
  const reached = new Set<string>();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    reached.add(String(await page.evaluate("document.activeElement && document.activeElement.id")));
  }
  for (const id of ["token", "article", "highlight", "len-mode"])
    check(reached.has(id), `Tab reaches #${id}`);

  const axeSource = readFileSync(
    createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
    "utf8",
  );
  await runAxe(page, axeSource, "desktop");
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: join(SHOTS, "desktop.png"), fullPage: true });
  await page.locator("#try").screenshot({ path: join(SHOTS, "desktop-article.png") });
  await page.locator("#alerts").screenshot({ path: join(SHOTS, "desktop-alerts.png") });

  step("390 px wide: no sideways scroll");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const widths = (await page.evaluate(
    "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, body: document.body.scrollWidth })",
  )) as { scroll: number; client: number; body: number };
  check(
    widths.scroll <= widths.client && widths.body <= widths.client,
    `no horizontal scroll at 390 px: ${JSON.stringify(widths)}`,
  );
  await runAxe(page, axeSource, "390 px");
  await page.screenshot({ path: join(SHOTS, "mobile-390.png"), fullPage: true });
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: join(SHOTS, "mobile-390-top.png") });
  await page.locator("#result").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, "mobile-390-result.png") });
  await page.locator("#watchlists").screenshot({ path: join(SHOTS, "mobile-390-watchlists.png") });
  await page.locator("#try").screenshot({ path: join(SHOTS, "mobile-390-article.png") });
  await page.locator("#alerts").screenshot({ path: join(SHOTS, "mobile-390-alerts.png") });

  step("channels and a feed key, through the API");
  const tab = await context.newPage();
  watchTab(tab, "channels tab");
  await tab.goto(`${base}/`);
  await tab.getByLabel("API token").fill(sub.token);
  await tab.getByRole("button", { name: "Connect" }).click();
  await tab.locator("#channels").waitFor();
  await tab.getByLabel("Webhook URL").fill(`http://127.0.0.1:${hook.port}/discord`);
  await tab.getByLabel("Type").selectOption("discord");
  await tab.locator("#ch-name").fill("newsroom");
  await tab.getByRole("button", { name: "Add channel" }).click();
  await tab.locator("#ch-form-status", { hasText: "Added" }).waitFor();
  await tab.locator("#ch-list li h3", { hasText: "newsroom" }).waitFor();
  await tab.getByRole("button", { name: "Send a test to the newsroom channel" }).click();
  await tab.locator("#ch-list .status", { hasText: "Test sent" }).waitFor();
  await tab.getByRole("button", { name: "Create a feed key" }).click();
  await tab.locator("#fk-result").waitFor();
  const feedUrl = await tab.getByLabel(/Feed URL/).inputValue();
  check(feedUrl.startsWith(`${base}/feeds/`) && feedUrl.endsWith(".atom"), "a feed URL is shown");
  const feed = await fetch(feedUrl);
  check(
    feed.status === 200 && (await feed.text()).includes("<feed"),
    "the feed URL reads the Atom feed with no header",
  );
  await runAxe(tab, axeSource, "channels");
  await tab.close();

  step("forget the token");
  await page.getByRole("button", { name: "Forget token" }).click();
  await page.locator("#auth-status", { hasText: "forgotten" }).waitFor();
  check(
    (await page.evaluate("sessionStorage.getItem('wirebrief.token')")) === null,
    "the token is gone from sessionStorage",
  );
  check((await page.locator("#alerts-list li").count()) === 0, "alerts cleared");

  step("an admin token acting for the subscriber sees the same watchlist and alert");
  await page.getByLabel("API token").fill(ADMIN);
  await page.getByLabel(/Subscriber id/).fill(sub.id);
  await page.getByRole("button", { name: "Connect" }).click();
  await page.locator("#wl-list li h3", { hasText: "China-Belarus" }).waitFor();
  await page.locator("#alerts-list li.alert").first().waitFor();

  check(problems.length === 0, `no errors in the page:\n${problems.join("\n")}`);
  step(`passed; screenshots in ${SHOTS}`);
}

let code = 0;
try {
  await main();
} catch (e) {
  code = 1;
  console.error(`browser test: FAILED: ${(e as Error).message}`);
  if (wranglerLog)
    console.error(
      `--- wrangler output (tail) ---\n${wranglerLog.replaceAll(ADMIN, "<admin token>").slice(-4000)}`,
    );
} finally {
  await stopAll();
  clearTimeout(watchdog);
}
process.exit(code);
