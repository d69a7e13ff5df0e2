import { describe, expect, it } from "vitest";
import { cleanArticle, isBoilerplate } from "../../../src/text/clean.ts";
import { htmlToText } from "../../../src/text/html.ts";
import { contentHashInput, normalizeArabic, normalizeText } from "../../../src/text/normalize.ts";

describe("normalizeText", () => {
  it("removes zero-width and bidi marks, folds compatibility forms, collapses spaces", () => {
    expect(normalizeText("a\u200Bb\u200Fc\u202Ad\uFEFF")).toBe("abcd");
    expect(normalizeText("ﬁne ＡＢＣ１２３")).toBe("fine ABC123");
    expect(normalizeText("\uFEB3\uFEE0\uFE8E\uFEE1")).toBe("سلام");
    expect(normalizeText("a \u00A0 b\t\tc\r\n\r\n\r\n\r\nd")).toBe("a b c\n\nd");
    // Full-width CJK punctuation stays as the reader sees it.
    expect(normalizeText("你好，世界！")).toBe("你好，世界！");
    // Combining sequences are composed (NFC).
    expect(normalizeText("e\u0301")).toBe("é");
  });

  it("keeps ZWJ/ZWNJ and replaces lone surrogates", () => {
    expect(normalizeText("می\u200Cخواهم")).toBe("می\u200Cخواهم");
    expect(normalizeText("a\uD800b")).toBe("a\uFFFDb");
  });
});

describe("normalizeArabic and contentHashInput", () => {
  it("normalises hamza, alef maqsura, ta marbuta, tashkeel and tatweel", () => {
    expect(normalizeArabic("أإآٱ ى ة مُـحَمَّد")).toBe("اااا ي ه محمد");
  });
  it("is case-, space- and punctuation-insensitive", () => {
    expect(contentHashInput("Hello,   World!")).toBe(contentHashInput("hello world"));
    expect(contentHashInput("الصِّين.")).toBe(contentHashInput("الصين"));
    expect(contentHashInput("")).toBe("");
  });
});

describe("boilerplate", () => {
  it.each([
    "مشاركة :",
    "Share this article",
    "Share: Facebook | Twitter | Email",
    "Read more: Port cities race to electrify",
    "Follow us on Twitter",
    "We use cookies to improve your experience. By continuing you accept.",
    "Partager :",
    "Lire aussi : La réforme",
    "Compartir:",
    "Leer más",
    "Поделиться",
    "Читайте также: новости",
    "分享到：",
    "【纠错】",
    "责任编辑：王五",
    "Facebook Twitter WhatsApp",
  ])("drops %s", (line) => {
    expect(isBoilerplate(line)).toBe(true);
  });

  it.each([
    "Share prices fell 5% on Monday.",
    "Follow-up talks are planned.",
    "Partagé entre deux pays, le fleuve déborde.",
  ])("keeps %s", (line) => {
    expect(isBoilerplate(line)).toBe(false);
  });

  it("removes a trailing crumb glued to the last line", () => {
    expect(cleanArticle("الجملة الأخيرة. مشاركة :", false).text).toBe("الجملة الأخيرة.");
  });
});

describe("htmlToText", () => {
  it("keeps paragraphs, drops scripts, styles, navigation and footers", () => {
    const html = `<!doctype html><html><head><title>Page title</title><style>p{}</style></head><body>
      <nav><a href="/">Home</a> <a href="/world">World</a></nav>
      <article><h1>Big &amp; bold headline</h1><p>First paragraph with <b>bold</b> text.</p>
      <script>var x = "<p>not text</p>";</script><p>Second&nbsp;paragraph &#8212; here&#x21;</p>
      <div class="share">Share this</div></article><footer>© 2021 Site</footer></body></html>`;
    const h = htmlToText(html);
    expect(h.title).toBe("Big & bold headline");
    const clean = cleanArticle(html, true);
    expect(clean.text).toBe("First paragraph with bold text.\n\nSecond paragraph — here!");
    expect(clean.htmlTitle).toBe("Big & bold headline");
  });

  it("survives malformed markup", () => {
    expect(() => cleanArticle("<p>open <b>never closed <script>x", true)).not.toThrow();
    expect(cleanArticle("<p>open <b>never closed", true).text).toBe("open never closed");
  });
});
