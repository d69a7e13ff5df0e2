// Creates .dev.vars with a random ADMIN_TOKEN on first start, so `npm start` just works.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const path = resolve(".dev.vars");
if (existsSync(path)) {
  console.log(`wirebrief: using the ADMIN_TOKEN in ${path}`);
} else {
  const token = `wb_admin_${randomBytes(24).toString("base64url")}`;
  writeFileSync(path, `ADMIN_TOKEN=${token}\nALLOW_LOCAL_WEBHOOKS=1\n`, { mode: 0o600 });
  console.log(
    `wirebrief: created ${path} with a new ADMIN_TOKEN (read it there; it is not printed)`,
  );
}
