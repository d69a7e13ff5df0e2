/**
 * Checks of chat messages against each platform's published format, written from the
 * platforms' documentation (limits cited in src/alerts/channels/*.ts) and, for Teams,
 * Microsoft's own Adaptive Cards library as a validator at schema version 1.5.
 * Each returns a list of problems (empty = valid) so tests can also show they fail.
 */

import { createRequire } from "node:module";
import type * as AdaptiveCardsModule from "adaptivecards";

type Json = unknown;
type Obj = Record<string, unknown>;

const isObj = (v: Json): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function extraKeys(o: Obj, allowed: readonly string[], where: string, out: string[]) {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) out.push(`${where}: unknown property ${k}`);
}

function isHttpUrl(s: unknown): boolean {
  if (typeof s !== "string") return false;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

/* ------------------------------------------------------------------ Slack Block Kit */

function slackTextObject(t: Json, where: string, max: number, out: string[], plainOnly = false) {
  if (!isObj(t)) {
    out.push(`${where}: text object missing`);
    return;
  }
  extraKeys(t, ["type", "text", "emoji", "verbatim"], where, out);
  if (t.type !== "plain_text" && t.type !== "mrkdwn")
    out.push(`${where}: bad text type ${String(t.type)}`);
  if (plainOnly && t.type !== "plain_text") out.push(`${where}: must be plain_text`);
  if (t.emoji !== undefined && t.type !== "plain_text")
    out.push(`${where}: emoji only on plain_text`);
  if (typeof t.text !== "string" || t.text.length === 0) {
    out.push(`${where}: empty text`);
    return;
  }
  if (t.text.length > max) out.push(`${where}: text ${t.text.length} > ${max}`);
  if (t.type === "mrkdwn") {
    // escaped: the only `<…>` left are links we made; no mentions (<@U…>, <!here>, <#C…>)
    for (const m of t.text.matchAll(/<([^>]*)>/g)) {
      const inner = m[1] ?? "";
      if (!/^https?:\/\/[^|\s]+(\|[^<>]*)?$/.test(inner))
        out.push(`${where}: unexpected <${inner}>`);
    }
    if (/[<>]/.test(t.text.replace(/<https?:\/\/[^|>\s]+(\|[^<>]*)?>/g, ""))) {
      out.push(`${where}: unescaped < or >`);
    }
  }
}

/**
 * Block Kit for an incoming webhook (Slack "Reference: blocks"): ≤ 50 blocks; header
 * plain_text ≤ 150; section text ≤ 3000, fields ≤ 10 of ≤ 2000; context 1–10 elements;
 * block_id ≤ 255; no empty text. Plus our cap of 12,000 characters of block text.
 */
export function checkSlackMessage(m: Json): string[] {
  const out: string[] = [];
  if (!isObj(m)) return ["payload is not an object"];
  extraKeys(
    m,
    ["text", "blocks", "unfurl_links", "unfurl_media", "mrkdwn", "thread_ts"],
    "payload",
    out,
  );
  if (typeof m.text !== "string" || m.text.length === 0) out.push("payload: fallback text missing");
  if (!Array.isArray(m.blocks)) return [...out, "payload: blocks missing"];
  if (m.blocks.length === 0) out.push("payload: no blocks");
  if (m.blocks.length > 50) out.push(`payload: ${m.blocks.length} blocks > 50`);
  let total = 0;
  m.blocks.forEach((b: Json, i: number) => {
    const w = `blocks[${i}]`;
    if (!isObj(b)) {
      out.push(`${w}: not an object`);
      return;
    }
    if (b.block_id !== undefined && (typeof b.block_id !== "string" || b.block_id.length > 255)) {
      out.push(`${w}: block_id`);
    }
    switch (b.type) {
      case "header":
        extraKeys(b, ["type", "text", "block_id"], w, out);
        slackTextObject(b.text, `${w}.text`, 150, out, true);
        total += isObj(b.text) ? String(b.text.text ?? "").length : 0;
        break;
      case "section":
        extraKeys(b, ["type", "text", "fields", "accessory", "block_id", "expand"], w, out);
        if (b.text === undefined && b.fields === undefined) out.push(`${w}: needs text or fields`);
        if (b.text !== undefined) {
          slackTextObject(b.text, `${w}.text`, 3000, out);
          total += isObj(b.text) ? String(b.text.text ?? "").length : 0;
        }
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) out.push(`${w}: fields`);
          else
            b.fields.forEach((f: Json, j: number) => {
              slackTextObject(f, `${w}.fields[${j}]`, 2000, out);
            });
        }
        break;
      case "context":
        extraKeys(b, ["type", "elements", "block_id"], w, out);
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 10) {
          out.push(`${w}: context needs 1 to 10 elements`);
        } else {
          b.elements.forEach((e: Json, j: number) => {
            slackTextObject(e, `${w}.elements[${j}]`, 3000, out);
            total += isObj(e) ? String(e.text ?? "").length : 0;
          });
        }
        break;
      case "divider":
        extraKeys(b, ["type", "block_id"], w, out);
        break;
      default:
        out.push(`${w}: unexpected block type ${String(b.type)}`);
    }
  });
  if (total > 12_000) out.push(`blocks: ${total} characters of text > 12000`);
  return out;
}

/* ------------------------------------------------------------------ Discord embeds */

/**
 * Execute Webhook with embeds (Discord "Embed Limits"): ≤ 10 embeds; title ≤ 256;
 * description ≤ 4096; ≤ 25 fields, name ≤ 256 and value ≤ 1024 (both non-empty); footer
 * ≤ 2048; author name ≤ 256; ≤ 6000 characters over all of them; content ≤ 2000; and
 * content or embeds present. Webhook embeds may not set type, provider or video.
 */
export function checkDiscordMessage(m: Json): string[] {
  const out: string[] = [];
  if (!isObj(m)) return ["payload is not an object"];
  extraKeys(
    m,
    ["content", "embeds", "allowed_mentions", "username", "avatar_url", "tts", "flags"],
    "payload",
    out,
  );
  const content = m.content === undefined ? "" : m.content;
  if (typeof content !== "string") out.push("content: not a string");
  else if (content.length > 2000) out.push(`content: ${content.length} > 2000`);
  const embeds = m.embeds === undefined ? [] : m.embeds;
  if (!Array.isArray(embeds)) return [...out, "embeds: not an array"];
  if (embeds.length > 10) out.push(`embeds: ${embeds.length} > 10`);
  if (embeds.length === 0 && !content) out.push("payload: needs content or embeds");
  if (
    !isObj(m.allowed_mentions) ||
    !Array.isArray(m.allowed_mentions.parse) ||
    m.allowed_mentions.parse.length > 0
  ) {
    out.push("allowed_mentions: must be { parse: [] }");
  }
  let total = 0;
  const len = (s: Json, w: string, max: number, required = false) => {
    if (s === undefined && !required) return;
    if (typeof s !== "string") {
      out.push(`${w}: not a string`);
      return;
    }
    if (required && s.length === 0) out.push(`${w}: empty`);
    if (s.length > max) out.push(`${w}: ${s.length} > ${max}`);
    total += s.length;
  };
  embeds.forEach((e: Json, i: number) => {
    const w = `embeds[${i}]`;
    if (!isObj(e)) {
      out.push(`${w}: not an object`);
      return;
    }
    extraKeys(
      e,
      [
        "title",
        "description",
        "url",
        "timestamp",
        "color",
        "footer",
        "image",
        "thumbnail",
        "author",
        "fields",
      ],
      w,
      out,
    );
    len(e.title, `${w}.title`, 256);
    len(e.description, `${w}.description`, 4096);
    if (e.url !== undefined && !isHttpUrl(e.url)) out.push(`${w}.url: not an http(s) URL`);
    if (
      e.timestamp !== undefined &&
      !(typeof e.timestamp === "string" && Number.isFinite(Date.parse(e.timestamp)))
    ) {
      out.push(`${w}.timestamp: not ISO 8601`);
    }
    if (
      e.color !== undefined &&
      !(Number.isInteger(e.color) && (e.color as number) >= 0 && (e.color as number) <= 0xffffff)
    ) {
      out.push(`${w}.color`);
    }
    if (e.footer !== undefined) {
      if (!isObj(e.footer)) out.push(`${w}.footer`);
      else len(e.footer.text, `${w}.footer.text`, 2048, true);
    }
    if (e.author !== undefined) {
      if (!isObj(e.author)) out.push(`${w}.author`);
      else len(e.author.name, `${w}.author.name`, 256, true);
    }
    if (e.fields !== undefined) {
      if (!Array.isArray(e.fields)) {
        out.push(`${w}.fields: not an array`);
        return;
      }
      if (e.fields.length > 25) out.push(`${w}.fields: ${e.fields.length} > 25`);
      e.fields.forEach((f: Json, j: number) => {
        if (!isObj(f)) {
          out.push(`${w}.fields[${j}]`);
          return;
        }
        extraKeys(f, ["name", "value", "inline"], `${w}.fields[${j}]`, out);
        len(f.name, `${w}.fields[${j}].name`, 256, true);
        len(f.value, `${w}.fields[${j}].value`, 1024, true);
      });
    }
  });
  if (total > 6000) out.push(`embeds: ${total} characters in total > 6000`);
  return out;
}

/* ------------------------------------------------------------------ Teams / Adaptive Cards */

const AC: typeof AdaptiveCardsModule = createRequire(import.meta.url)(
  "adaptivecards/dist/adaptivecards.js",
);

/** Enumerations of the Adaptive Card 1.5 schema (adaptivecards.io/schemas/1.5.0). */
const SIZES = ["default", "small", "medium", "large", "extraLarge"];
const WEIGHTS = ["default", "lighter", "bolder"];
const COLORS = ["default", "dark", "light", "accent", "good", "warning", "attention"];
const SPACINGS = ["default", "none", "small", "medium", "large", "extraLarge", "padding"];
/** Properties every element may have (Extendable.Element). */
const ELEMENT_COMMON = [
  "type",
  "id",
  "fallback",
  "height",
  "separator",
  "spacing",
  "isVisible",
  "requires",
];

function enumOk(v: unknown, values: string[]): boolean {
  return (
    v === undefined ||
    (typeof v === "string" && values.some((x) => x.toLowerCase() === v.toLowerCase()))
  );
}

function checkAction(a: Json, w: string, out: string[]) {
  if (!isObj(a)) {
    out.push(`${w}: not an object`);
    return;
  }
  if (a.type !== "Action.OpenUrl") {
    out.push(`${w}: unexpected action ${String(a.type)}`);
    return;
  }
  extraKeys(
    a,
    [
      "type",
      "url",
      "title",
      "iconUrl",
      "id",
      "style",
      "fallback",
      "tooltip",
      "isEnabled",
      "mode",
      "requires",
    ],
    w,
    out,
  );
  if (typeof a.url !== "string" || a.url.length === 0) out.push(`${w}.url: required`);
  if (a.title !== undefined && typeof a.title !== "string") out.push(`${w}.title`);
}

function checkElement(e: Json, w: string, out: string[]) {
  if (!isObj(e)) {
    out.push(`${w}: not an object`);
    return;
  }
  if (!enumOk(e.spacing, SPACINGS)) out.push(`${w}.spacing`);
  if (e.separator !== undefined && typeof e.separator !== "boolean") out.push(`${w}.separator`);
  switch (e.type) {
    case "RichTextBlock":
      extraKeys(e, [...ELEMENT_COMMON, "inlines", "horizontalAlignment"], w, out);
      if (!Array.isArray(e.inlines)) {
        out.push(`${w}.inlines: required`);
        return;
      }
      e.inlines.forEach((r: Json, i: number) => {
        const rw = `${w}.inlines[${i}]`;
        if (!isObj(r) || r.type !== "TextRun") {
          out.push(`${rw}: TextRun expected`);
          return;
        }
        extraKeys(
          r,
          [
            "type",
            "text",
            "color",
            "fontType",
            "highlight",
            "isSubtle",
            "italic",
            "selectAction",
            "size",
            "strikethrough",
            "underline",
            "weight",
          ],
          rw,
          out,
        );
        if (typeof r.text !== "string") out.push(`${rw}.text: required`);
        if (!enumOk(r.size, SIZES)) out.push(`${rw}.size`);
        if (!enumOk(r.weight, WEIGHTS)) out.push(`${rw}.weight`);
        if (!enumOk(r.color, COLORS)) out.push(`${rw}.color`);
        for (const k of ["isSubtle", "italic", "strikethrough", "underline", "highlight"]) {
          if (r[k] !== undefined && typeof r[k] !== "boolean") out.push(`${rw}.${k}`);
        }
        if (r.selectAction !== undefined) checkAction(r.selectAction, `${rw}.selectAction`, out);
      });
      return;
    case "Container":
      extraKeys(
        e,
        [
          ...ELEMENT_COMMON,
          "items",
          "selectAction",
          "style",
          "verticalContentAlignment",
          "bleed",
          "backgroundImage",
          "minHeight",
          "rtl",
        ],
        w,
        out,
      );
      if (!Array.isArray(e.items)) {
        out.push(`${w}.items: required`);
        return;
      }
      e.items.forEach((x: Json, i: number) => {
        checkElement(x, `${w}.items[${i}]`, out);
      });
      return;
    default:
      out.push(`${w}: unexpected element ${String(e.type)}`);
  }
}

/** The schema's rules (1.5) for the card and the elements we use, written from the schema. */
export function checkAdaptiveCardSchema(card: Json): string[] {
  const out: string[] = [];
  if (!isObj(card)) return ["card is not an object"];
  extraKeys(
    card,
    [
      "type",
      "version",
      "refresh",
      "authentication",
      "body",
      "actions",
      "selectAction",
      "fallbackText",
      "backgroundImage",
      "minHeight",
      "rtl",
      "speak",
      "lang",
      "verticalContentAlignment",
      "$schema",
    ],
    "card",
    out,
  );
  if (card.type !== "AdaptiveCard") out.push("card.type");
  if (card.version !== "1.5") out.push("card.version must be 1.5");
  if (card.rtl !== undefined && typeof card.rtl !== "boolean") out.push("card.rtl");
  if (card.fallbackText !== undefined && typeof card.fallbackText !== "string")
    out.push("card.fallbackText");
  if (card.body !== undefined) {
    if (!Array.isArray(card.body)) out.push("card.body");
    else
      card.body.forEach((e: Json, i: number) => {
        checkElement(e, `body[${i}]`, out);
      });
  }
  if (card.actions !== undefined) {
    if (!Array.isArray(card.actions)) out.push("card.actions");
    else
      card.actions.forEach((a: Json, i: number) => {
        checkAction(a, `actions[${i}]`, out);
      });
  }
  return out;
}

/** Problems Microsoft's Adaptive Cards library reports parsing and validating the card at 1.5. */
export function adaptiveCardsLibraryProblems(card: Json): string[] {
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  const c = new AC.AdaptiveCard();
  c.parse(card, ctx);
  const out: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) out.push(`parse: ${ctx.getEventAt(i).message}`);
  for (const e of c.validateProperties().validationEvents) out.push(`validate: ${e.message}`);
  // whatever the library did not understand is dropped when it serialises the card back
  const back = c.toJSON() as Obj | undefined;
  const count = (o: Json): number =>
    isObj(o)
      ? 1 + Object.values(o).reduce<number>((n, v) => n + count(v), 0)
      : Array.isArray(o)
        ? o.reduce<number>((n, v) => n + count(v), 0)
        : 0;
  if (
    isObj(card) &&
    Array.isArray(card.body) &&
    back &&
    Array.isArray(back.body) &&
    count(back.body) !== count(card.body)
  ) {
    out.push("library dropped elements it does not know");
  }
  return out;
}

/**
 * The Teams Workflows envelope with one Adaptive Card 1.5 attachment, valid by the schema
 * rules and Microsoft's library, within 28 KB (learn.microsoft.com Teams connector limits).
 */
export function checkTeamsMessage(m: Json): string[] {
  const out: string[] = [];
  if (!isObj(m)) return ["payload is not an object"];
  extraKeys(m, ["type", "attachments"], "payload", out);
  if (m.type !== "message") out.push('payload.type must be "message"');
  if (!Array.isArray(m.attachments) || m.attachments.length !== 1)
    return [...out, "payload.attachments: one card"];
  const a = m.attachments[0];
  if (!isObj(a)) return [...out, "attachment: not an object"];
  extraKeys(a, ["contentType", "contentUrl", "content"], "attachment", out);
  if (a.contentType !== "application/vnd.microsoft.card.adaptive")
    out.push("attachment.contentType");
  if (a.contentUrl !== null && a.contentUrl !== undefined) out.push("attachment.contentUrl");
  const bytes = new TextEncoder().encode(JSON.stringify(m)).length;
  if (bytes > 28 * 1024) out.push(`payload: ${bytes} bytes > 28 KB`);
  return [
    ...out,
    ...checkAdaptiveCardSchema(a.content),
    ...adaptiveCardsLibraryProblems(a.content),
  ];
}
