import { describe, expect, it } from "vitest";
import { checkChannelUrl, redactChannelUrl } from "../../../src/alerts/url-safety.ts";

const off = { allowLocal: false };
const on = { allowLocal: true };
const ok = (type: Parameters<typeof checkChannelUrl>[0], url: string, opts = off) =>
  checkChannelUrl(type, url, opts).ok;
const reason = (type: Parameters<typeof checkChannelUrl>[0], url: string, opts = off) => {
  const r = checkChannelUrl(type, url, opts);
  return r.ok ? "" : r.reason;
};

describe("checkChannelUrl", () => {
  it("slack: only incoming webhooks on hooks.slack.com", () => {
    expect(
      ok("slack", "https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX"),
    ).toBe(true);
    expect(reason("slack", "https://hooks.slack.com.attacker.net/services/T/B/x")).toMatch(
      /hooks\.slack\.com/,
    );
    expect(reason("slack", "https://slack.com/services/T/B/x")).toMatch(/hooks\.slack\.com/);
    expect(reason("slack", "https://hooks.slack.com/triggers/T/1/x")).toMatch(/services/);
    expect(reason("slack", "http://hooks.slack.com/services/T/B/x")).toMatch(/https/);
    expect(reason("slack", "https://hooks.slack.com:8443/services/T/B/x")).toMatch(/port 443/);
    expect(reason("slack", "https://user:pw@hooks.slack.com/services/T/B/x")).toMatch(
      /credentials/,
    );
  });

  it("discord: /api/webhooks/{id}/{token} on discord.com or discordapp.com", () => {
    expect(ok("discord", "https://discord.com/api/webhooks/1234567890/abc-DEF_123")).toBe(true);
    expect(ok("discord", "https://discordapp.com/api/webhooks/1234567890/abc")).toBe(true);
    expect(ok("discord", "https://canary.discord.com/api/v10/webhooks/1234567890/abc")).toBe(true);
    expect(reason("discord", "https://discord.com/api/channels/1/messages")).toMatch(/webhooks/);
    expect(reason("discord", "https://discord.com/api/webhooks/notanid/abc")).toMatch(/webhooks/);
    expect(reason("discord", "https://evil-discord.com/api/webhooks/1/abc")).toMatch(
      /discord\.com/,
    );
    expect(reason("discord", "https://discord.com.attacker.net/api/webhooks/1/abc")).toMatch(
      /discord\.com/,
    );
  });

  it("teams: Workflows hosts on logic.azure.com or environment.api.powerplatform.com", () => {
    expect(
      ok(
        "teams",
        "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=x",
      ),
    ).toBe(true);
    expect(
      ok(
        "teams",
        "https://default0123abcd.45.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x",
      ),
    ).toBe(true);
    expect(reason("teams", "https://logic.azure.com/workflows/x")).toMatch(/Workflows/);
    expect(reason("teams", "https://attacker.net/logic.azure.com")).toMatch(/Workflows/);
    expect(reason("teams", "https://logic.azure.com.attacker.net/x")).toMatch(/Workflows/);
    expect(reason("teams", "https://outlook.office.com/webhook/x")).toMatch(/Workflows/);
  });

  it("webhook: any public https URL, as checkWebhookUrl", () => {
    expect(ok("webhook", "https://hooks.example.com/in")).toBe(true);
    expect(reason("webhook", "https://10.0.0.1/in")).toMatch(/private/);
  });

  it("local URLs only with ALLOW_LOCAL_WEBHOOKS, for every type", () => {
    for (const type of ["webhook", "slack", "discord", "teams"] as const) {
      expect(ok(type, "http://127.0.0.1:8788/hook", on)).toBe(true);
      expect(ok(type, "http://localhost:9000/services/x", on)).toBe(true);
      expect(ok(type, "http://127.0.0.1:8788/hook", off)).toBe(false);
      // odd spellings of loopback stay rejected even when local URLs are allowed
      expect(ok(type, "http://2130706433:8788/hook", on)).toBe(false);
    }
    // the platform rule still applies to a public host when local URLs are allowed
    expect(reason("slack", "https://hooks.attacker.net/services/T/B/x", on)).toMatch(
      /hooks\.slack\.com/,
    );
  });
});

describe("redactChannelUrl", () => {
  it("hides the secret part of chat URLs and leaves webhook URLs whole", () => {
    expect(redactChannelUrl("slack", "https://hooks.slack.com/services/T1/B2/abcSECRET")).toBe(
      "https://hooks.slack.com/services/T1/B2/…",
    );
    expect(redactChannelUrl("discord", "https://discord.com/api/webhooks/42/tokSECRET/")).toBe(
      "https://discord.com/api/webhooks/42/…",
    );
    const teams =
      "https://prod-01.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRET";
    expect(redactChannelUrl("teams", teams)).toBe(
      "https://prod-01.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?…",
    );
    expect(redactChannelUrl("webhook", "https://hooks.example.org/in?x=1")).toBe(
      "https://hooks.example.org/in?x=1",
    );
    expect(redactChannelUrl("slack", "not a url")).toBe("…");
  });
});
