/**
 * Generated load articles and watch queries in ar, en, zh, fr, es, ru: sentence templates
 * filled from word pools by a seeded PRNG, so every POST is a new article (new URL, new
 * text) while the run stays reproducible. Written for this harness; no publisher's text.
 */

export type Lang = "ar" | "en" | "zh" | "fr" | "es" | "ru";
export const LANGS: readonly Lang[] = ["ar", "en", "zh", "fr", "es", "ru"];

interface Pools {
  places: string[];
  orgs: string[];
  topics: string[];
  actors: string[];
  /** Slots: {place} {place2} {org} {topic} {topic2} {actor} {num} {num2} */
  sentences: string[];
  titles: string[];
  /** Dateline before the first sentence; {place} {day} {month}. */
  dateline: string;
  months: string[];
  /** How many characters a "word" boundary needs: CJK has none. */
  cjk?: boolean;
}

const POOLS: Record<Lang, Pools> = {
  en: {
    places: [
      "Nairobi",
      "Lima",
      "Hanoi",
      "Oslo",
      "Dakar",
      "Quito",
      "Tbilisi",
      "Manila",
      "Accra",
      "Santiago",
      "Jakarta",
      "Helsinki",
      "Bogota",
      "Tunis",
      "Colombo",
      "Riga",
      "Lusaka",
      "Montevideo",
      "Yerevan",
      "Kampala",
      "Vientiane",
      "Windhoek",
      "Reykjavik",
      "Muscat",
      "Asuncion",
      "Bishkek",
      "Maputo",
      "Valletta",
      "Doha",
      "Ulaanbaatar",
    ],
    orgs: [
      "the central bank",
      "the port authority",
      "the health ministry",
      "the statistics office",
      "the energy regulator",
      "the railway company",
      "the farmers' union",
      "the weather service",
      "the customs agency",
      "the national assembly",
      "the teachers' federation",
      "the water board",
    ],
    topics: [
      "inflation",
      "rainfall",
      "wheat exports",
      "solar power",
      "bus fares",
      "vaccination",
      "copper prices",
      "flood defences",
      "broadband coverage",
      "fish stocks",
      "tourism",
      "housing permits",
      "rice harvest",
      "bond yields",
      "desalination",
      "electric buses",
      "cyber security",
      "drought relief",
      "freight traffic",
      "school meals",
      "wind farms",
      "coffee prices",
      "minimum wage",
      "air quality",
      "cattle vaccines",
      "shipping insurance",
    ],
    actors: [
      "A senior official",
      "The minister",
      "A spokeswoman",
      "An economist",
      "The governor",
      "A union leader",
      "The mayor",
      "An analyst",
      "A trade envoy",
      "The director",
    ],
    sentences: [
      "{actor} in {place} said on {day} that {org} would review {topic} before the end of the month.",
      "Figures released by {org} showed {topic} rose {num} percent in {place} compared with last year.",
      "{actor} warned that {topic} in {place2} could weigh on {topic2} for at least {num} weeks.",
      "Talks between {place} and {place2} on {topic} are expected to resume next week, {actor} said.",
      "The plan, backed by {org}, sets aside {num} million dollars for {topic} and {topic2}.",
      "Residents of {place} have complained for months about {topic}, according to local media.",
      "{org} said it had received {num} applications linked to {topic} since January.",
      "Observers in {place2} noted that {topic} had become a test for {org}.",
      "A report due on {day} will compare {topic} in {place} with {num2} other cities.",
      "{actor} declined to comment on {topic2} but confirmed a visit to {place2}.",
      "Critics argue that {org} moved too slowly on {topic} after the {num2} storms last year.",
      "The measure on {topic} takes effect in {place} on {day}, {num} days earlier than planned.",
    ],
    titles: [
      "{place} moves on {topic} as {org} weighs options",
      "{topic} in focus as {place} and {place2} meet",
      "{org} reports {num} percent change in {topic}",
      "{place} braces for shift in {topic}",
    ],
    dateline: "{PLACE}, {month} {day} (Loadwire) -- ",
    months: ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct."],
  },
  fr: {
    places: [
      "Dakar",
      "Abidjan",
      "Lyon",
      "Bamako",
      "Tunis",
      "Rabat",
      "Niamey",
      "Lomé",
      "Cotonou",
      "Genève",
      "Montréal",
      "Bruxelles",
      "Nantes",
      "Libreville",
      "Douala",
      "Kigali",
      "Ouagadougou",
      "Marseille",
      "Antananarivo",
      "Nouakchott",
      "Bordeaux",
      "Conakry",
      "Lille",
      "Port-Louis",
      "Brazzaville",
      "Strasbourg",
    ],
    orgs: [
      "la banque centrale",
      "l'autorité portuaire",
      "le ministère de la Santé",
      "l'office statistique",
      "le régulateur de l'énergie",
      "la compagnie ferroviaire",
      "le syndicat agricole",
      "le service météorologique",
      "l'agence des douanes",
      "l'assemblée nationale",
    ],
    topics: [
      "l'inflation",
      "les pluies",
      "les exportations de blé",
      "l'énergie solaire",
      "les tarifs des bus",
      "la vaccination",
      "le prix du cuivre",
      "les digues",
      "la couverture haut débit",
      "la pêche",
      "le tourisme",
      "les permis de construire",
      "la récolte de riz",
      "les taux obligataires",
      "le dessalement",
      "les bus électriques",
      "la cybersécurité",
      "la sécheresse",
      "le fret ferroviaire",
      "les cantines scolaires",
      "les éoliennes",
      "le prix du café",
    ],
    actors: [
      "Un haut responsable",
      "Le ministre",
      "Une porte-parole",
      "Un économiste",
      "Le gouverneur",
      "Un dirigeant syndical",
      "Le maire",
      "Un analyste",
      "La directrice",
    ],
    sentences: [
      "{actor} a déclaré {day} à {place} que {org} examinera {topic} avant la fin du mois.",
      "Selon les chiffres publiés par {org}, {topic} a progressé de {num} % à {place} sur un an.",
      "{actor} a averti que {topic} à {place2} pourrait peser sur {topic2} pendant {num} semaines.",
      "Les discussions entre {place} et {place2} sur {topic} doivent reprendre la semaine prochaine.",
      "Le plan, soutenu par {org}, prévoit {num} millions d'euros pour {topic} et {topic2}.",
      "Les habitants de {place} se plaignent depuis des mois de {topic}, selon la presse locale.",
      "{org} affirme avoir reçu {num} demandes liées à {topic} depuis janvier.",
      "À {place2}, des observateurs estiment que {topic} est devenu un test pour {org}.",
      "Un rapport attendu le {day} comparera {topic} à {place} avec {num2} autres villes.",
      "{actor} n'a pas commenté {topic2} mais a confirmé une visite à {place2}.",
      "La mesure sur {topic} entre en vigueur à {place} le {day}, avec {num} jours d'avance.",
    ],
    titles: [
      "{place} agit sur {topic}, {org} pèse ses options",
      "{topic} au centre des discussions entre {place} et {place2}",
      "{org} annonce une variation de {num} % pour {topic}",
    ],
    dateline: "{PLACE}, {day} {month} (Loadwire) -- ",
    months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre"],
  },
  es: {
    places: [
      "Lima",
      "Quito",
      "Bogotá",
      "Montevideo",
      "Asunción",
      "Valparaíso",
      "Cusco",
      "Medellín",
      "Rosario",
      "Guadalajara",
      "Sevilla",
      "Valencia",
      "Managua",
      "Tegucigalpa",
      "La Paz",
      "Cartagena",
      "Mendoza",
      "Arequipa",
      "Córdoba",
      "Monterrey",
      "Zaragoza",
      "Cali",
      "Antofagasta",
      "Panamá",
      "Málaga",
    ],
    orgs: [
      "el banco central",
      "la autoridad portuaria",
      "el ministerio de Salud",
      "el instituto de estadística",
      "el regulador energético",
      "la empresa ferroviaria",
      "el sindicato agrario",
      "el servicio meteorológico",
      "la agencia de aduanas",
      "la asamblea nacional",
    ],
    topics: [
      "la inflación",
      "las lluvias",
      "las exportaciones de trigo",
      "la energía solar",
      "las tarifas del autobús",
      "la vacunación",
      "el precio del cobre",
      "los diques",
      "la banda ancha",
      "la pesca",
      "el turismo",
      "las licencias de obra",
      "la cosecha de arroz",
      "los bonos",
      "la desalinización",
      "los autobuses eléctricos",
      "la ciberseguridad",
      "la sequía",
      "el transporte de carga",
      "los comedores escolares",
      "la energía eólica",
      "el precio del café",
    ],
    actors: [
      "Un alto funcionario",
      "El ministro",
      "Una portavoz",
      "Un economista",
      "El gobernador",
      "Un líder sindical",
      "La alcaldesa",
      "Un analista",
      "La directora",
    ],
    sentences: [
      "{actor} dijo el {day} en {place} que {org} revisará {topic} antes de fin de mes.",
      "Según cifras de {org}, {topic} subió un {num} por ciento en {place} frente al año pasado.",
      "{actor} advirtió que {topic} en {place2} podría afectar a {topic2} durante {num} semanas.",
      "Las conversaciones entre {place} y {place2} sobre {topic} se reanudarán la próxima semana.",
      "El plan, respaldado por {org}, destina {num} millones de dólares a {topic} y {topic2}.",
      "Los vecinos de {place} se quejan desde hace meses de {topic}, según la prensa local.",
      "{org} dijo haber recibido {num} solicitudes relacionadas con {topic} desde enero.",
      "En {place2}, los observadores creen que {topic} se ha convertido en una prueba para {org}.",
      "Un informe previsto para el {day} comparará {topic} en {place} con otras {num2} ciudades.",
      "{actor} no comentó sobre {topic2}, pero confirmó una visita a {place2}.",
      "La medida sobre {topic} entra en vigor en {place} el {day}, {num} días antes de lo previsto.",
    ],
    titles: [
      "{place} actúa sobre {topic} mientras {org} estudia opciones",
      "{topic}, en el centro de la reunión entre {place} y {place2}",
      "{org} informa de un cambio del {num} por ciento en {topic}",
    ],
    dateline: "{PLACE}, {day} {month} (Loadwire) -- ",
    months: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct"],
  },
  ru: {
    places: [
      "Казани",
      "Новосибирске",
      "Ташкенте",
      "Алматы",
      "Минске",
      "Владивостоке",
      "Тбилиси",
      "Самаре",
      "Иркутске",
      "Мурманске",
      "Бишкеке",
      "Екатеринбурге",
      "Калининграде",
      "Хабаровске",
      "Омске",
      "Ереване",
      "Перми",
      "Архангельске",
      "Астане",
      "Томске",
      "Уфе",
      "Сочи",
      "Якутске",
      "Барнауле",
    ],
    orgs: [
      "центральный банк",
      "портовое управление",
      "министерство здравоохранения",
      "статистическое ведомство",
      "энергетический регулятор",
      "железнодорожная компания",
      "фермерский союз",
      "метеослужба",
      "таможенная служба",
      "городская дума",
    ],
    topics: [
      "инфляция",
      "осадки",
      "экспорт пшеницы",
      "солнечная энергетика",
      "тарифы на проезд",
      "вакцинация",
      "цены на медь",
      "защита от паводков",
      "широкополосный интернет",
      "рыболовство",
      "туризм",
      "разрешения на строительство",
      "урожай риса",
      "доходность облигаций",
      "опреснение",
      "электробусы",
      "кибербезопасность",
      "засуха",
      "грузовые перевозки",
      "школьное питание",
      "ветроэнергетика",
      "цены на кофе",
    ],
    actors: [
      "Высокопоставленный чиновник",
      "Министр",
      "Пресс-секретарь",
      "Экономист",
      "Губернатор",
      "Профсоюзный лидер",
      "Мэр",
      "Аналитик",
      "Директор",
    ],
    sentences: [
      "{actor} заявил в {place}, что {org} рассмотрит тему «{topic}» до конца месяца.",
      "По данным, которые опубликовал {org}, показатель «{topic}» в {place} вырос на {num} процентов.",
      "{actor} предупредил, что ситуация с темой «{topic}» в {place2} может сказаться на теме «{topic2}».",
      "Переговоры в {place} и {place2} по теме «{topic}» возобновятся на следующей неделе.",
      "План, который поддержал {org}, предусматривает {num} миллионов рублей на «{topic}» и «{topic2}».",
      "Жители в {place} уже несколько месяцев жалуются на тему «{topic}», сообщают местные СМИ.",
      "{org} сообщил, что с января получил {num} заявок, связанных с темой «{topic}».",
      "Наблюдатели в {place2} считают, что «{topic}» стала проверкой для ведомства {org}.",
      "Доклад, ожидаемый {day} числа, сравнит «{topic}» в {place} ещё с {num2} городами.",
      "{actor} не стал комментировать «{topic2}», но подтвердил визит в {place2}.",
      "Мера по теме «{topic}» вступит в силу в {place} {day} числа, на {num} дней раньше срока.",
    ],
    titles: [
      "В {place} обсуждают «{topic}»: {org} взвешивает варианты",
      "«{topic}» в центре переговоров в {place} и {place2}",
      "{org} сообщил об изменении на {num} процентов: «{topic}»",
    ],
    dateline: "МОСКВА, {day} {month} /Loadwire/. ",
    months: ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа"],
  },
  ar: {
    places: [
      "القاهرة",
      "الرباط",
      "تونس",
      "عمان",
      "بيروت",
      "الدوحة",
      "مسقط",
      "الجزائر",
      "الخرطوم",
      "بغداد",
      "دمشق",
      "الكويت",
      "المنامة",
      "نواكشوط",
      "طرابلس",
      "صنعاء",
      "الإسكندرية",
      "وهران",
      "صفاقس",
      "مراكش",
      "إربد",
      "جدة",
      "البصرة",
      "الموصل",
    ],
    orgs: [
      "البنك المركزي",
      "هيئة الموانئ",
      "وزارة الصحة",
      "جهاز الإحصاء",
      "هيئة تنظيم الطاقة",
      "شركة السكك الحديدية",
      "اتحاد المزارعين",
      "هيئة الأرصاد الجوية",
      "مصلحة الجمارك",
      "مجلس النواب",
    ],
    topics: [
      "التضخم",
      "الأمطار",
      "صادرات القمح",
      "الطاقة الشمسية",
      "أسعار النقل",
      "التطعيم",
      "أسعار النحاس",
      "السدود",
      "الإنترنت السريع",
      "الصيد البحري",
      "السياحة",
      "رخص البناء",
      "محصول الأرز",
      "عوائد السندات",
      "تحلية المياه",
      "الحافلات الكهربائية",
      "الأمن السيبراني",
      "الجفاف",
      "نقل البضائع",
      "التغذية المدرسية",
      "طاقة الرياح",
      "أسعار البن",
    ],
    actors: [
      "مسؤول كبير",
      "الوزير",
      "متحدثة رسمية",
      "خبير اقتصادي",
      "المحافظ",
      "نقابي بارز",
      "رئيس البلدية",
      "محلل",
      "المدير العام",
    ],
    sentences: [
      "قال {actor} في {place} يوم {day} إن {org} ستراجع ملف {topic} قبل نهاية الشهر.",
      "وأظهرت أرقام نشرها {org} أن {topic} ارتفع بنسبة {num} في المائة في {place} مقارنة بالعام الماضي.",
      "وحذر {actor} من أن {topic} في {place2} قد يؤثر على {topic2} لمدة {num} أسابيع.",
      "ومن المتوقع أن تستأنف المحادثات بين {place} و{place2} حول {topic} الأسبوع المقبل.",
      "وتخصص الخطة التي يدعمها {org} مبلغ {num} مليون دولار لقطاعي {topic} و{topic2}.",
      "ويشكو سكان {place} منذ أشهر من {topic} بحسب وسائل إعلام محلية.",
      "وأعلن {org} أنه تلقى {num} طلبا تتعلق ب{topic} منذ يناير.",
      "ويرى مراقبون في {place2} أن {topic} أصبح اختبارا حقيقيا أمام {org}.",
      "وسيقارن تقرير يصدر يوم {day} بين {topic} في {place} و{num2} مدن أخرى.",
      "ورفض {actor} التعليق على {topic2} لكنه أكد زيارة مرتقبة إلى {place2}.",
      "ويدخل القرار الخاص ب{topic} حيز التنفيذ في {place} يوم {day} قبل موعده بـ{num} يوما.",
    ],
    titles: [
      "{place} تتحرك بشأن {topic} و{org} يدرس الخيارات",
      "{topic} في صدارة المحادثات بين {place} و{place2}",
      "{org}: تغير بنسبة {num} في المائة في {topic}",
    ],
    dateline: "{PLACE} {day} {month} (لودواير) ",
    months: ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس"],
  },
  zh: {
    places: [
      "成都",
      "昆明",
      "乌鲁木齐",
      "哈尔滨",
      "厦门",
      "兰州",
      "南宁",
      "拉萨",
      "呼和浩特",
      "大连",
      "青岛",
      "贵阳",
      "西宁",
      "海口",
      "长沙",
      "合肥",
      "太原",
      "银川",
      "温州",
      "珠海",
      "洛阳",
      "桂林",
      "烟台",
      "无锡",
    ],
    orgs: [
      "中央银行",
      "港口管理局",
      "卫生部门",
      "统计部门",
      "能源监管机构",
      "铁路公司",
      "农民协会",
      "气象部门",
      "海关总署",
      "人大常委会",
    ],
    topics: [
      "通货膨胀",
      "降雨量",
      "小麦出口",
      "太阳能发电",
      "公交票价",
      "疫苗接种",
      "铜价",
      "防洪工程",
      "宽带覆盖",
      "渔业资源",
      "旅游业",
      "建筑许可",
      "水稻收成",
      "债券收益率",
      "海水淡化",
      "电动公交",
      "网络安全",
      "抗旱救灾",
      "货运量",
      "学生营养餐",
      "风电场",
      "咖啡价格",
    ],
    actors: [
      "一位高级官员",
      "部长",
      "一位女发言人",
      "一位经济学家",
      "省长",
      "工会负责人",
      "市长",
      "分析人士",
    ],
    sentences: [
      "{actor}{day}日在{place}表示，{org}将在月底前审议{topic}问题。",
      "{org}公布的数据显示，{place}的{topic}同比增长{num}%。",
      "{actor}警告说，{place2}的{topic}可能在未来{num}周内影响{topic2}。",
      "{place}与{place2}关于{topic}的会谈预计将于下周恢复。",
      "这项由{org}支持的计划将拨款{num}亿元用于{topic}和{topic2}。",
      "据当地媒体报道，{place}居民数月来一直抱怨{topic}问题。",
      "{org}表示，自一月以来已收到{num}份与{topic}有关的申请。",
      "{place2}的观察人士认为，{topic}已成为对{org}的一次考验。",
      "将于{day}日发布的报告将比较{place}与其他{num2}个城市的{topic}。",
      "{actor}未就{topic2}发表评论，但证实将访问{place2}。",
      "有关{topic}的措施将于{day}日在{place}生效，比原计划提前{num}天。",
    ],
    titles: [
      "{place}推进{topic} {org}权衡方案",
      "{place}与{place2}会谈聚焦{topic}",
      "{org}：{topic}变化{num}%",
    ],
    dateline: "新华社{PLACE}{month}{day}日电 ",
    months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月"],
    cjk: true,
  },
};

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of `xs`, drawn with `r`. */
export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

/** One generated article, as POSTed (JSON). */
export interface LoadArticle {
  url: string;
  title: string;
  text: string;
  lang: Lang;
  published_at: string;
  source: string;
}

function fill(r: () => number, p: Pools, template: string, fixed: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (fixed[k] !== undefined) return fixed[k] as string;
    switch (k) {
      case "place":
      case "place2":
        return pick(r, p.places);
      case "org":
        return pick(r, p.orgs);
      case "topic":
      case "topic2":
        return pick(r, p.topics);
      case "actor":
        return pick(r, p.actors);
      case "num":
        return String(2 + Math.floor(r() * 480));
      case "num2":
        return String(2 + Math.floor(r() * 18));
      case "day":
        return String(1 + Math.floor(r() * 28));
      default:
        return k;
    }
  });
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Generates varied articles: new URL and text on every call. `nearDupRatio` of them are
 * republications of a recent article (new URL, new dateline, one sentence changed), as
 * wires do, to exercise one-alert-per-cluster.
 */
export class ArticleFactory {
  private readonly r: () => number;
  private n = 0;
  private readonly recent: LoadArticle[] = [];
  readonly runId: string;
  readonly nearDupRatio: number;

  constructor(seed: number, runId: string, nearDupRatio = 0.1) {
    this.r = rng(seed);
    this.runId = runId;
    this.nearDupRatio = nearDupRatio;
  }

  next(): LoadArticle {
    this.n++;
    const base = this.recent.length > 0 && this.r() < this.nearDupRatio;
    const a = base ? this.republish(pick(this.r, this.recent)) : this.fresh();
    if (!base) {
      this.recent.push(a);
      if (this.recent.length > 50) this.recent.shift();
    }
    return a;
  }

  /** A new story, not remembered for republication (for the burst). */
  story(): LoadArticle {
    this.n++;
    return this.fresh();
  }

  private fresh(): LoadArticle {
    const r = this.r;
    const lang = pick(r, LANGS);
    const p = POOLS[lang];
    const place = pick(r, p.places);
    const fixed = { place };
    const count = 5 + Math.floor(r() * 5);
    const body: string[] = [];
    for (let i = 0; i < count; i++)
      body.push(upperFirst(fill(r, p, pick(r, p.sentences), i === 0 ? fixed : {})));
    const day = String(1 + Math.floor(r() * 28));
    const dateline = p.dateline
      .replace("{PLACE}", p.cjk || lang === "ar" ? place : place.toUpperCase())
      .replace("{day}", day)
      .replace("{month}", pick(r, p.months));
    const sep = p.cjk ? "" : " ";
    const text = `${dateline}${body.join(sep)}`;
    return this.wrap(lang, upperFirst(fill(r, p, pick(r, p.titles), fixed)), text);
  }

  private republish(orig: LoadArticle): LoadArticle {
    const p = POOLS[orig.lang];
    const sep = p.cjk ? "" : " ";
    const parts = p.cjk ? orig.text.split(/(?<=。)/) : orig.text.split(/(?<=\.) /);
    const i = 1 + Math.floor(this.r() * Math.max(1, parts.length - 1));
    if (i < parts.length) parts[i] = upperFirst(fill(this.r, p, pick(this.r, p.sentences), {}));
    return this.wrap(orig.lang, orig.title, parts.join(sep));
  }

  private wrap(lang: Lang, title: string, text: string): LoadArticle {
    const host = `${lang}.loadwire.test`;
    return {
      url: `https://${host}/${this.runId}/${this.n}`,
      title,
      text,
      lang,
      published_at: new Date(Date.UTC(2026, 10, 1) + this.n * 60_000).toISOString(),
      source: host,
    };
  }
}

/** Watch queries of one language, in the SPEC's syntax; deterministic for a seed. */
function queriesFor(lang: Lang, r: () => number, count: number): string[] {
  const p = POOLS[lang];
  const out = new Set<string>();
  const term = (s: string) => (/\s/.test(s) ? `"${s}"` : s);
  // Articles of French/Spanish/English carry articles ("la", "the") inside topic/org strings;
  // phrase queries on them work as-is.
  const makers: (() => string)[] = [
    () => `${term(pick(r, p.orgs))} AND ${term(pick(r, p.places))}`,
    () => `${term(pick(r, p.places))} AND ${term(pick(r, p.topics))}`,
    () =>
      `${term(pick(r, p.topics))} AND (${term(pick(r, p.places))} OR ${term(pick(r, p.places))})`,
    () => `title:${term(pick(r, p.places))}`,
    () => `${term(pick(r, p.topics))} ${term(pick(r, p.orgs))}`,
    () => `${term(pick(r, p.topics))} -${term(pick(r, p.places))}`,
  ];
  let guard = 0;
  while (out.size < count && guard++ < count * 50) out.add(pick(r, makers)());
  return [...out];
}

/** A watchlist definition to create. */
export interface WatchlistDef {
  name: string;
  queries: string[];
}

/**
 * `total` queries over per-language watchlists of at most `perList` (the API's limit is
 * 200 per watchlist), so about 1/6 of the queries concern each language.
 */
export function watchlistsFor(total: number, seed: number, perList = 200): WatchlistDef[] {
  const r = rng(seed ^ 0x9e3779b9);
  const lists: WatchlistDef[] = [];
  LANGS.forEach((lang, i) => {
    const share = Math.floor(total / LANGS.length) + (i < total % LANGS.length ? 1 : 0);
    const qs = queriesFor(lang, r, share);
    for (let k = 0; k < qs.length; k += perList) {
      lists.push({ name: `${lang} desk ${k / perList + 1}`, queries: qs.slice(k, k + perList) });
    }
  });
  return lists;
}

/** A small watchlist for a fault subscriber: `n` queries on place AND topic pairs of all languages. */
export function narrowWatchlist(name: string, n: number, seed: number): WatchlistDef {
  const r = rng(seed ^ 0x51ed27);
  const out = new Set<string>();
  while (out.size < n) {
    const p = POOLS[pick(r, LANGS)];
    const term = (s: string) => (/\s/.test(s) ? `"${s}"` : s);
    out.add(`${term(pick(r, p.places))} AND ${term(pick(r, p.topics))}`);
  }
  return { name, queries: [...out] };
}
