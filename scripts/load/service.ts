/**
 * The service under test: `wrangler dev` on 127.0.0.1, a free port, a temporary persist
 * dir and a generated ADMIN_TOKEN (in a temporary env file, never on the command line),
 * started in its own process group so a SIGKILL of the group takes workerd with it.
 */

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  createWriteStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => ok(port));
    });
  });
}

/** One line about the machine, the tools and the commit, for the top of a run's output. */
export function machine(root: string): string {
  const pkg = (p: string) =>
    (
      JSON.parse(readFileSync(resolve(root, "node_modules", p, "package.json"), "utf8")) as {
        version: string;
      }
    ).version;
  let commit = "?";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
  } catch {
    // not a git checkout
  }
  const la = loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
  return `machine: nproc ${availableParallelism()}, load avg ${la}; harness node ${process.version}; wrangler ${pkg("wrangler")}, autocannon ${pkg("autocannon")}; commit ${commit}`;
}

/** A numeric command-line option: `dflt` when absent or empty; outside [min, max] exits 2. */
export function numOption(
  raw: string | undefined,
  dflt: number,
  min = 0,
  max = Number.POSITIVE_INFINITY,
): number {
  const n = raw === undefined || raw === "" ? dflt : Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`bad value ${raw}; see --help`);
    process.exit(2);
  }
  return n;
}

/** The options every harness has. */
const COMMON_OPTIONS = {
  seed: { type: "string" },
  timeout: { type: "string" },
  keep: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsOptionsConfig;

/**
 * The command line, parsed with `extraOptions` plus the options every harness has
 * (--seed, --timeout, --keep, --help/-h); --help prints `help` and exits 0.
 */
export function cliOptions<const O extends ParseArgsOptionsConfig>(help: string, extraOptions: O) {
  type Config = { options: O & typeof COMMON_OPTIONS };
  const { values } = parseArgs<Config>({ options: { ...extraOptions, ...COMMON_OPTIONS } });
  // `values` has its exact type at the call site only (the options are generic here)
  if ((values as { help?: boolean }).help) {
    console.log(help);
    process.exit(0);
  }
  return values;
}

/**
 * A comma-separated list of `allowed` values (each trimmed): all of them when absent; an
 * unknown one exits 2, naming it as a `what`.
 */
export function listOption<T extends string>(
  raw: string | undefined,
  allowed: readonly T[],
  what: string,
): T[] {
  if (raw === undefined) return [...allowed];
  const names = raw.split(",").map((s) => s.trim());
  const bad = names.filter((n) => !allowed.includes(n as T));
  if (bad.length) {
    console.error(`unknown ${what}(s) ${bad.join(", ")}; use ${allowed.join(",")}`);
    process.exit(2);
  }
  return names as T[];
}

/** Seconds since `t0` (a Date.now()), one decimal: "12.3s". */
export const elapsed = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** Resolves once `child` has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  return new Promise<void>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once("exit", () => r());
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One `wrangler dev` process group, restartable on the same persist dir and port. */
export class Service {
  readonly root: string;
  readonly dir: string;
  readonly persistDir: string;
  readonly envFile: string;
  readonly logFile: string;
  readonly adminToken: string;
  port = 0;
  inspectorPort = 0;
  starts = 0;
  private child: ChildProcess | null = null;

  constructor(root: string) {
    this.root = resolve(root);
    this.dir = mkdtempSync(join(tmpdir(), "wirebrief-load-"));
    this.persistDir = join(this.dir, "state");
    this.envFile = join(this.dir, "vars.env");
    this.logFile = join(this.dir, "wrangler.log");
    this.adminToken = `wb_admin_${randomBytes(24).toString("base64url")}`;
    writeFileSync(this.envFile, `ADMIN_TOKEN=${this.adminToken}\nALLOW_LOCAL_WEBHOOKS=1\n`, {
      mode: 0o600,
    });
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts wrangler (Node 22 from the `node` devDependency) and waits for /healthz. */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.child) throw new Error("service already running");
    if (!this.port) this.port = await freePort();
    if (!this.inspectorPort) this.inspectorPort = await freePort();
    this.starts++;
    const node = join(this.root, "node_modules/node/bin/node");
    const wrangler = join(this.root, "node_modules/wrangler/bin/wrangler.js");
    const args = [
      wrangler,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(this.port),
      "--inspector-ip",
      "127.0.0.1",
      "--inspector-port",
      String(this.inspectorPort),
      "--persist-to",
      this.persistDir,
      "--env-file",
      this.envFile,
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ];
    const log = createWriteStream(this.logFile, { flags: "a" });
    log.write(`\n=== start ${this.starts} at ${new Date().toISOString()} ===\n`);
    const child = spawn(node, args, {
      cwd: this.root,
      detached: true, // own process group: kill(-pid) reaches workerd too
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        CI: "1",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_LOG_PATH: join(this.dir, "wrangler-logs"),
        NO_COLOR: "1",
      },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    const exited = new Promise<never>((_, fail) =>
      child.once("exit", (code, sig) =>
        fail(new Error(`wrangler exited (${code ?? sig}) while starting; see ${this.logFile}`)),
      ),
    );
    exited.catch(() => {});
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const up = await Promise.race([this.healthy(), exited]);
      if (up) return;
      await sleep(250);
    }
    this.kill("SIGKILL");
    throw new Error(`wrangler did not answer /healthz within ${timeoutMs} ms; see ${this.logFile}`);
  }

  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  /**
   * CPU time (user + system, ms) used so far by the group's `workerd` processes, from
   * /proc (Linux; null elsewhere or when none is found). Clock ticks are taken as 100/s.
   */
  workerdCpuMs(): number | null {
    const pgid = this.child?.pid;
    if (pgid === undefined) return null;
    let total = 0;
    let found = false;
    let pids: string[];
    try {
      pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
    } catch {
      return null;
    }
    for (const pid of pids) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      // fields after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
      const f = stat.slice(close + 2).split(" ");
      if (Number(f[2]) !== pgid || !comm.startsWith("workerd")) continue;
      found = true;
      total += (Number(f[11]) + Number(f[12])) * 10;
    }
    return found ? total : null;
  }

  /** Lines of wrangler.log with the ANSI colours removed (none when it cannot be read). */
  private plainLogLines(): string[] {
    let text: string;
    try {
      text = readFileSync(this.logFile, "utf8");
    } catch {
      return [];
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes
    return text.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
  }

  /** Distinct error lines of wrangler.log (ANSI colours removed), at most `max`. */
  errorLines(max: number): string[] {
    const seen = new Map<string, string>();
    for (const line of this.plainLogLines()) {
      if (!/ERROR|Error:/.test(line) || /Request\.cf|getaddrinfo/.test(line)) continue;
      // the same error of another article differs in sizes and ids only: the first one stays
      const key = line.trim().replace(/\d{5,}/g, "N");
      if (!seen.has(key)) seen.set(key, line.trim());
      if (seen.size >= max) break;
    }
    return [...seen.values()];
  }

  /** Lines of wrangler.log (ANSI colours removed) that contain `text`. */
  logLinesWith(text: string): string[] {
    return this.plainLogLines().filter((l) => l.includes(text));
  }

  /** Signals the whole process group (wrangler, workerd, esbuild). */
  kill(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGKILL of the process group, waiting for the wrangler process to be reaped. */
  async crash(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = exited(child);
    this.kill("SIGKILL");
    await Promise.race([gone, sleep(5000)]);
    this.child = null;
  }

  /** Graceful stop (SIGTERM, then SIGKILL after 5 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = exited(child);
    this.kill("SIGTERM");
    await Promise.race([gone, sleep(5000)]);
    this.kill("SIGKILL"); // workerd may outlive wrangler's exit
    this.child = null;
  }

  /** Removes the temporary dir (persisted state, env file, logs) unless asked to keep it. */
  cleanup(keep: boolean): void {
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Runs `run` against `service` so that nothing outlives the harness: on return, on
 * SIGINT/SIGTERM and after `timeoutS` seconds the service and `closeAlso` are stopped
 * (exit 2 on a signal or the timeout), and wrangler is killed if the process exits anyway.
 */
export async function guarded(
  service: Service,
  o: { timeout: number; keep: boolean },
  run: () => Promise<number>,
  closeAlso: () => Promise<unknown> = async () => {},
): Promise<number> {
  const t0 = Date.now();
  const log = (s: string) => console.log(s);
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    await service.stop();
    await closeAlso();
    service.cleanup(o.keep);
  };
  // Last resort: never leave wrangler running.
  process.on("exit", () => service.kill("SIGKILL"));
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      log(`\n${sig}: stopping`);
      void stopAll().finally(() => process.exit(2));
    });
  }
  const timer = setTimeout(() => {
    log(`\nglobal timeout of ${o.timeout}s reached: stopping everything`);
    void stopAll().finally(() => process.exit(2));
  }, o.timeout * 1000);
  try {
    return await run();
  } finally {
    clearTimeout(timer);
    if (o.keep) log(`kept ${service.dir}`);
    await stopAll();
    log(`stopped everything (${elapsed(t0)} total)`);
  }
}
