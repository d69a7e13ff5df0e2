import { describe, expect, it } from "vitest";
import { extractDateline } from "../../../src/text/dateline.ts";

const pub = "2021-01-27T08:00:00Z";

describe("extractDateline", () => {
  it.each([
    [
      "بكين 26 يناير 2021 (شينخوا) دعا الرئيس",
      { place: "بكين", date: "2021-01-26", agency: "شينخوا" },
      "دعا",
    ],
    [
      "BEIJING, Jan. 26 (Xinhua) -- Chinese President",
      { place: "BEIJING", date: "2021-01-26", agency: "Xinhua" },
      "Chinese",
    ],
    [
      "PÉKIN, 26 janvier (Xinhua) -- Le président",
      { place: "PÉKIN", date: "2021-01-26", agency: "Xinhua" },
      "Le",
    ],
    [
      "BEIJING, 26 ene (Xinhua) -- El presidente",
      { place: "BEIJING", date: "2021-01-26", agency: "Xinhua" },
      "El",
    ],
    [
      "ПЕКИН, 26 января /Синьхуа/ -- Председатель",
      { place: "ПЕКИН", date: "2021-01-26", agency: "Синьхуа" },
      "Председатель",
    ],
    [
      "新华社北京1月26日电（记者 张三）国家主席",
      { place: "北京", date: "2021-01-26", agency: "新华社" },
      "国家",
    ],
    [
      "LONDON (Reuters) - Shares fell",
      { place: "LONDON", date: null, agency: "Reuters" },
      "Shares",
    ],
    ["(Reuters) - Shares fell", { place: null, date: null, agency: "Reuters" }, "Shares"],
    ["PARIS (AFP) - Le gouvernement", { place: "PARIS", date: null, agency: "AFP" }, "Le"],
    ["(AFP) - Le gouvernement", { place: null, date: null, agency: "AFP" }, "Le"],
    ["NEW YORK (AP) — A man", { place: "NEW YORK", date: null, agency: "AP" }, "A"],
    ["(AP) — A man", { place: null, date: null, agency: "AP" }, "A"],
    [
      "WASHINGTON, January 26, 2021 (Reuters) - The",
      { place: "WASHINGTON", date: "2021-01-26", agency: "Reuters" },
      "The",
    ],
    [
      "BERLIN, 26. Januar (Xinhua) -- Die",
      { place: "BERLIN", date: "2021-01-26", agency: "Xinhua" },
      "Die",
    ],
    [
      "Madrid, 26 ene (EFE).- El Gobierno",
      { place: "Madrid", date: "2021-01-26", agency: "EFE" },
      "El",
    ],
    [
      "PEQUIM, 26 jan (Xinhua) -- O presidente",
      { place: "PEQUIM", date: "2021-01-26", agency: "Xinhua" },
      "O",
    ],
    [
      "МОСКВА, 26 янв — РИА Новости. Президент",
      { place: "МОСКВА", date: "2021-01-26", agency: "РИА Новости" },
      "Президент",
    ],
    [
      "МОСКВА, 26 янв - РИА Новости, Анна Иванова. Президент",
      { place: "МОСКВА", date: "2021-01-26", agency: "РИА Новости" },
      "Президент",
    ],
    [
      "САНКТ-ПЕТЕРБУРГ, 26 января 2021 – Sputnik. Губернатор",
      { place: "САНКТ-ПЕТЕРБУРГ", date: "2021-01-26", agency: "Sputnik" },
      "Губернатор",
    ],
    [
      "МОСКВА, 26 января. /ТАСС/. Президент",
      { place: "МОСКВА", date: "2021-01-26", agency: "ТАСС" },
      "Президент",
    ],
    [
      "МОСКВА. 26 января. ИНТЕРФАКС - Президент",
      { place: "МОСКВА", date: "2021-01-26", agency: "ИНТЕРФАКС" },
      "Президент",
    ],
    ["القاهرة - أ ف ب: قال", { place: "القاهرة", date: null, agency: "أ ف ب" }, "قال"],
    ["دبي - رويترز - قال", { place: "دبي", date: null, agency: "رويترز" }, "قال"],
    ["عواصم - وكالات: قال", { place: "عواصم", date: null, agency: "وكالات" }, "قال"],
    ["أ ف ب - قال", { place: null, date: null, agency: "أ ف ب" }, "قال"],
    ["رويترز: قال", { place: null, date: null, agency: "رويترز" }, "قال"],
    [
      "باريس 26 يناير 2021 - أ.ف.ب - قال",
      { place: "باريس", date: "2021-01-26", agency: "أ.ف.ب" },
      "قال",
    ],
    [
      "واشنطن، ٢٦ يناير - رويترز: قال",
      { place: "واشنطن", date: "2021-01-26", agency: "رويترز" },
      "قال",
    ],
  ])("parses %s", (text, dateline, bodyStart) => {
    const m = extractDateline(text, pub);
    expect(m?.dateline).toEqual(dateline);
    expect(text.slice(m?.end ?? 0).startsWith(bodyStart)).toBe(true);
  });

  it("takes the year from published_at, the nearest one across new year", () => {
    expect(
      extractDateline("BEIJING, Dec. 31 (Xinhua) -- Text", "2022-01-01T02:00:00Z")?.dateline.date,
    ).toBe("2021-12-31");
    expect(
      extractDateline("BEIJING, Jan. 1 (Xinhua) -- Text", "2021-12-31T23:00:00Z")?.dateline.date,
    ).toBe("2022-01-01");
    expect(extractDateline("BEIJING, Jan. 26 (Xinhua) -- Text")?.dateline.date).toBeNull();
    expect(extractDateline("BEIJING, Feb. 30 (Xinhua) -- Text", pub)?.dateline.date).toBeNull();
  });

  it("finds no dateline in ordinary openings", () => {
    expect(extractDateline("The president (who was late) said.", pub)).toBeNull();
    expect(
      extractDateline("Officials said on Tuesday that (in short) nothing changed.", pub),
    ).toBeNull();
    expect(extractDateline("", pub)).toBeNull();
    expect(extractDateline("قالت رويترز إن الأسواق تراجعت.", pub)).toBeNull();
    expect(extractDateline("وكالات الأنباء نقلت الخبر.", pub)).toBeNull();
    expect(extractDateline("Москва, 26 января. Президент России", pub)).toBeNull();
    expect(extractDateline("В Москве 26 января РИА Новости сообщило", pub)).toBeNull();
    expect(
      extractDateline(
        "قال الرئيس (في بيان طويل جدا عن الأوضاع الراهنة في المنطقة وخارجها) إن",
        pub,
      ),
    ).toBeNull();
  });
});
