/**
 * HTML cleaning on news pages written for these tests (fixtures/html): each asserts the
 * exact text the server would store, so any leak of menu, script, caption or share text
 * fails.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanArticle } from "../../../src/text/clean.ts";
import { htmlToText } from "../../../src/text/html.ts";
import { prepareDocument } from "../../../src/text/index.ts";

const page = (name: string): string =>
  readFileSync(join(import.meta.dirname, "..", "..", "..", "fixtures", "html", name), "utf8");

describe("news pages", () => {
  it("English: article picked, masthead, nested nav, share bar, figure, aside, newsletter, comments and scripts dropped", () => {
    const r = cleanArticle(page("en-news.html"), true);
    expect(r.htmlTitle).toBe("Ferry strike ends after pay deal");
    expect(r.text).toBe(
      [
        "PORT ALDER — Ferry crews on the Alder Sound routes returned to work on Saturday after their union accepted a pay offer worth 6% over two years.",
        "The four-day stoppage had cut the island of Kestrel off from the mainland, leaving about 1,200 residents without deliveries of fuel and fresh food.",
        "“Nobody wanted this to drag on,” said union organiser Tomas Reyne. “The offer is fair, and the boats are sailing again.”",
        "The operator, Sound Lines, said timetables would be back to normal by Monday and that season tickets would be extended by a week. Fares will rise by ½ a percentage point less than planned.",
        "Reyne thanked the islanders for their patience: read the union's statement.",
      ].join("\n\n"),
    );
  });

  it("Arabic: numeric entities, CDATA, an unclosed paragraph and the share crumb", () => {
    const r = cleanArticle(page("ar-news.html"), true);
    expect(r.htmlTitle).toBe("افتتاح محطة تحلية جديدة في مدينة الواحة");
    expect(r.text).toBe(
      [
        "الواحة 12 مارس 2026 (وكالة الساحل) افتتحت السلطات المحلية اليوم الخميس محطة لتحلية مياه البحر بطاقة خمسين ألف متر مكعب يوميا، في خطوة تهدف إلى تأمين مياه الشرب لسكان المدينة خلال أشهر الصيف.",
        "وقال مدير المحطة المهندس سامر الحداد إن المشروع استغرق ثلاث سنوات، وإن الطاقة الشمسية ستغطي نصف حاجته من الكهرباء.",
        "وأضاف أن المحطة ستوفر مئتي فرصة عمل لأبناء المنطقة، مشيرا إلى أن المرحلة الثانية ستبدأ العام المقبل …",
        "ورحب السكان بالمشروع، إذ عانت المدينة في الصيف الماضي من انقطاع المياه لأيام متتالية.",
      ].join("\n\n"),
    );
    const doc = prepareDocument({ html: page("ar-news.html") });
    expect(doc.lang).toBe("ar");
    expect(doc.dateline?.place).toBe("الواحة");
  });

  it("Chinese: a div-soup page without <article> keeps only the body column", () => {
    const r = cleanArticle(page("zh-news.html"), true);
    expect(r.htmlTitle).toBe("山城开通首条跨江缆车线路");
    expect(r.text).toBe(
      [
        "本报讯（记者 林晓）3月19日，连接山城南北两岸的首条跨江缆车线路正式开通运营。线路全长一千二百米，单程约需六分钟。",
        "据介绍，缆车每小时可运送乘客两千人次，票价为单程十元<学生半价>。",
        "市民张先生说：“以前过江要绕桥，现在几分钟就到了，很方便。”",
        "运营方表示，将根据客流情况调整发车间隔，节假日将延长运营时间。",
      ].join("\n\n"),
    );
    expect(prepareDocument({ html: page("zh-news.html") }).lang).toBe("zh");
  });
});

describe("htmlToText edge cases", () => {
  it("an attribute value containing '>' stays in the tag", () => {
    expect(htmlToText('<p>See <a title="a>b" href="/x">the report</a> today.</p>').text).toBe(
      "See the report today.",
    );
    expect(htmlToText("<p>Single <a title='x > y'>quoted</a> too.</p>").text).toBe(
      "Single quoted too.",
    );
  });

  it("decodes every HTML5 named entity, with or without the legacy missing semicolon", () => {
    expect(
      htmlToText("<p>&Scaron;koda &frac12; &hearts; &NotEqualTilde; &amp &lt;b&gt;</p>").text,
    ).toBe("Škoda ½ ♥ ≂̸ & <b>");
    // An unknown name stays as written; a legacy prefix decodes as browsers do (&notin vs &not).
    expect(htmlToText("<p>&zzzz; x</p>").text).toBe("&zzzz; x");
    expect(htmlToText("<p>&notit; &notin;</p>").text).toBe("¬it; ∉");
  });

  it("drops nested navigation of the same tag completely", () => {
    const html =
      "<body><nav>Top <nav>Inner <nav>Deepest</nav> after inner</nav> after top</nav><p>Story.</p></body>";
    expect(htmlToText(html).text).toBe("Story.");
  });

  it("drops comments (even with markup inside), CDATA and processing instructions", () => {
    const html =
      "<?xml version='1.0'?><p>One <!-- <p>hidden</p> --> two<![CDATA[ three ]]> four.</p><!-- unterminated";
    expect(htmlToText(html).text).toBe("One two four.");
  });

  it("keeps script text out even when it contains tags and quotes", () => {
    const html =
      '<p>Before.</p><script>if (a < b) document.write("</p><p>leak");</script><p>After.</p>';
    expect(htmlToText(html).text).toBe("Before.\n\nAfter.");
  });

  it("drops hidden elements and furniture by role, class or id, but never the article itself", () => {
    const html = `<article class="story has-comments"><p>Kept.</p>
      <div hidden>h1</div><div aria-hidden="true">h2</div><div style="display: none">h3</div>
      <div role="complementary">h4</div><div id="social-links">h5</div><ul class="tags"><li>h6</li></ul>
      <p class="shareholders">Shareholders met.</p></article>`;
    expect(htmlToText(html).text).toBe("Kept.\n\nShareholders met.");
  });

  it("inline tags join words, block tags split paragraphs, table cells stay apart", () => {
    expect(
      htmlToText(
        "<p>bo<b>ld</b> and <i>it</i>alic<br>next line</p><table><tr><td>a</td><td>b</td></tr></table>",
      ).text,
    ).toBe("bold and italic\n\nnext line\n\na b");
  });

  it("picks the longest <article> over teaser cards, and an h1 different from the title stays", () => {
    const html = `<html><head><title>Site</title></head><body>
      <article><h2>Teaser</h2><p>Short teaser.</p></article>
      <article><h1>Main story</h1><p>The long main story text is here and goes on.</p><h1>A second heading</h1><p>More.</p></article>
      <article><p>Another teaser.</p></article></body></html>`;
    const r = htmlToText(html);
    expect(r.title).toBe("Main story");
    expect(r.text).toBe(
      "The long main story text is here and goes on.\n\nA second heading\n\nMore.",
    );
  });

  it("falls back to <title> when there is no h1, and ruby annotations stay out", () => {
    const r = htmlToText(
      "<title> Page  title </title><svg><title>Share icon</title></svg><p><ruby>漢<rt>kan</rt>字<rp>(</rp><rt>ji</rt><rp>)</rp></ruby>です。</p>",
    );
    expect(r.title).toBe("Page title");
    expect(r.text).toBe("漢字です。");
  });

  it("broken markup: unclosed tags, stray closers, truncated pages", () => {
    expect(htmlToText("<div><p>One<p>Two</div></span></p><p>Three").text).toBe(
      "One\n\nTwo\n\nThree",
    );
    expect(htmlToText("<article><p>Cut off in the mid").text).toBe("Cut off in the mid");
    expect(htmlToText("<p>a <b>b <i>c</p> d").text).toBe("a b c\n\nd");
    expect(htmlToText("<<>><p>x</p><").text).toBe("<<>>\n\nx\n\n<");
  });

  it("never throws and returns strings on odd input", () => {
    for (const s of [
      "",
      "<",
      "&",
      "<!--",
      "<![CDATA[",
      "<script>",
      "\uD800<p>\uDFFF</p>",
      "<a href='",
      "x".repeat(5000),
    ]) {
      const r = htmlToText(s);
      expect(typeof r.text).toBe("string");
      expect(typeof r.title).toBe("string");
    }
  });
});
