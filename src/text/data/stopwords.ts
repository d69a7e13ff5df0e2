/**
 * Stopword lists per language, as data. Used for language detection (the short
 * `profile` words), for content-word filtering in the summariser and for keywords.
 * Words are stored lower-cased; Arabic entries are in normalised form (see
 * `normalizeArabic`), so they are compared after that normalisation.
 */

const en = `a about above after again against ago all almost also although always am among an and another any
anyone anything are around as at back be became because been before being below between both but by can
cannot could did do does doing done down during each either else even ever every few for from further get
gets got had has have having he her here hers herself him himself his how however i if in into is it its
itself just last least less like made make many may me might more most much must my myself neither never
new next no nor not now of off often on once one only or other others our ours ourselves out over own
per perhaps put rather re said same say says see seen several shall she should since so some still such
than that the their theirs them themselves then there these they this those though three through thus to
too two under until up upon us very was we well were what when where whether which while who whom whose
why will with within without would yet you your yours yourself yourselves mr mrs ms s t also told
including according going 's don didn doesn isn wasn weren won wouldn couldn shouldn hasn haven hadn aren ll ve d m`;

const fr = `a à afin ai aie aient ainsi alors au aucun aucune aujourd auquel aussi autre autres aux auxquels
avaient avais avait avant avec avez avoir avons ayant c ça car ce ceci cela celle celles celui cependant
certain certains ces cet cette ceux chaque chez ci comme comment d dans de depuis des desquels deux devant
doit donc dont du elle elles en encore entre est et étaient était étant été être eu eux fait faire fois
font hors il ils j je jusqu l la là laquelle le lequel les lesquels leur leurs lors lorsqu lorsque lui m
ma mais me même mes moi moins mon n ne ni nos notre nous on ont ou où par parce pas pendant peu peut
peuvent plus plusieurs pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans se selon
sera seront ses si sien son sont sous soyez sur t ta tandis te tes toi ton tous tout toute toutes très
trop tu un une unes uns vers via vos votre vous y également déjà après entre cours lors dont avoir
selon dit a-t-il été
ans an mois jours`;

const es = `a al algo algunas algunos ante antes aquel aquella aquellas aquellos aquí así aun aunque cada
como con contra cual cuales cuando cuanto de del desde donde dos durante e el él ella ellas ellos en
entre era eran es esa esas ese eso esos esta está están estaba estado estados estar estas este esto estos
fue fueron ha haber había habían han hasta hay he la las le les lo los más me mi mientras mis muy nada
ni no nos nosotros o otra otras otro otros para pero poco por porque que qué quien quienes se sea según
ser será serán si sí sido siempre sin sino sobre son su sus también tan tanto te tiene tienen toda todas
todo todos tras tu tus un una unas uno unos usted ya yo dijo además así cual dicho dice año años
hacia parte puede pueden ser según cuyo cuya
mes meses día días`;

const pt = `a à ao aos aquela aquelas aquele aqueles aquilo as às até com como da das de dela delas dele
deles depois do dos e é ela elas ele eles em entre era eram essa essas esse esses esta está estão estas
este estes eu foi foram há isso isto já lhe lhes mais mas me mesmo meu minha muito na não nas nem no nos
nós num numa o os ou para pela pelas pelo pelos por porque qual quando que quem se sem ser seu seus sua
suas também te tem têm ter um uma umas uns você vocês disse ainda sobre após segundo onde pode podem
seja será serão sido sendo tinha tinham vai vão`;

const de = `aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin
bis bist da damit dann das dass dem den denn der des dessen die dies diese diesem diesen dieser dieses doch
dort du durch ein eine einem einen einer eines er es etwas für gegen gewesen hab habe haben hat hatte
hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in indem ins ist jede jedem jeden
jeder jedes jetzt kann kein keine können könnte machen man mehr mein meine mit muss musste nach nicht
nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seit sich sie sind so solche soll
sollte sondern sonst über um und uns unser unter viel vom von vor während war waren warum was weil welche
wenn wer werde werden wie wieder will wir wird wo wollen wurde wurden zu zum zur zwar zwischen sagte laut
bereits sowie`;

const it = `a ad al alla alle allo agli ai anche avere aveva che chi ci come con contro cui da dal dalla
dalle dei del della delle dello degli di dopo dove e è ed era essere fa gli ha hanno il in io la le lei
lo loro lui ma mi molto ne negli nei nel nella nelle non noi nostro o per perché più poi quale quando
quella quelle quello questa queste questo se sei si sono su sua sue suo suoi sul sulla tra tutti tutto
un una uno vi anni stato stata detto`;

const nl = `aan al als bij dan dat de der deze die dit door een en er geen haar had heb hebben heeft hem
het hij hoe hun ik in is je kan maar me meer men met mij na naar niet nog nu of om omdat ons ook op over
te tegen toch tot u uit van veel voor want was wat we wel werd werden wie wij worden zal ze zei zich zij
zijn zo zou`;

const ru = `а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже
для до его ее её если есть еще ещё же за здесь и из или им их к как ко когда кто ли либо между меня мне
много может можно мы на над надо наш не него нее неё нет ни них но ну о об однако он она они оно от очень
по под при про с сам свою своих свой себя со так также такой там те тем то того тоже только том тот ту
ты у уже хотя чем что чтобы эта эти это этого этой этом этот я заявил заявила сообщил сказал года году
который которая которые которых котором которой том также после время
через перед около более менее лет год будет были будут своей своего среди против`;

// Arabic, in normalised form (no hamza on alef, ى→ي, ة→ه).
const ar = `في من علي الي ان او ام ما لا لم لن هل قد كان كانت يكون تكون هو هي هم هن انت انا نحن هذا هذه
ذلك تلك هولاء اولئك الذي التي الذين اللذين اللتين اللواتي عن مع بين حتي اذا اذ لو ثم بل لكن كل بعض غير
عند منذ خلال بعد قبل حول حيث كما لقد ايضا فقط وقد وان وهو وهي وفي ومن والي وعلي كذلك فان لان انه انها
عليه عليها فيه فيها منه منها له لها لهم به بها بهم اي اليوم امس الان هناك هنا وكان وكانت وقال قال قالت
وقالت واضاف اضاف يوم تم وذلك لذلك ولا فيما بينما مثل وهذا وهذه هذا الا اما سوف سيكون يمكن دون ضد ولم
ولكن التي والتي الذي والذي عام وذكر ذكر اكد واكد اشار واشار`;

const zh = `的 了 和 是 在 也 有 与 及 等 对 为 以 将 从 把 被 这 那 其 中 上 下 不 就 都 而 并 或 之 于 向 由 但 还 已 又 要 会 说 到 个 我 你 他 她 它 们 我们 他们 表示 今天 日 月 年`;

const ja = `の に は を た が で て と し れ さ ある いる も する から な こと として い や れる など なっ ない この ため その あっ よう また もの という あり まで られ なる へ か だ これ によって により おり より による ず なり られる において ば なかっ なく しかし について せ だっ`;

function set(s: string): ReadonlySet<string> {
  return new Set(s.split(/\s+/).filter((w) => w.length > 0));
}

/** Full stopword sets per language (lower-cased; Arabic normalised). */
export const STOPWORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: set(`${en} monday tuesday wednesday thursday friday saturday sunday`),
  fr: set(`${fr} lundi mardi mercredi jeudi vendredi samedi dimanche`),
  es: set(`${es} lunes martes miércoles jueves viernes sábado domingo`),
  pt: set(`${pt} segunda terça quarta quinta sexta sábado domingo feira`),
  de: set(`${de} montag dienstag mittwoch donnerstag freitag samstag sonntag`),
  it: set(it),
  nl: set(nl),
  ru: set(
    `${ru} понедельник вторник среду среда четверг пятницу пятница субботу суббота воскресенье`,
  ),
  ar: set(`${ar} الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاحد`),
  zh: set(zh),
  ja: set(ja),
};
