/**
 * Word lists that keep keyphrases close to what an editor would tag. Surface forms,
 * lower-cased; they are compared by stem (see `keywords.ts`), so one form per word is
 * usually enough. Arabic entries are also matched with a leading conjunction (و، ف).
 *
 * - TITLE_WORDS: titles and roles. A phrase never includes one ("President Xi" gives
 *   "Xi"), and one is never a keyword alone, capitalised or not.
 * - COMMON_VERBS: frequent reporting and action verbs (forms that are rarely nouns).
 *   Lower-case occurrences end a phrase and are never keywords.
 * - WEAK_WORDS: vague adjectives, number words and time words; treated like verbs.
 */

export const TITLE_WORDS: Readonly<Record<string, string>> = {
  en: `president presidents vice premier minister ministers chancellor chairman chairwoman chairperson
secretary secretaries senator governor mayor ambassador envoy spokesman spokeswoman spokesperson
king queen prince princess emperor pope dr prof sir lord lady director chief counterpart deputy`,
  fr: `président présidente présidents vice-président premier ministre ministres chancelier secrétaire
sénateur gouverneur maire ambassadeur envoyé porte-parole roi reine prince princesse pape directeur
directrice chef homologue député m mme`,
  es: `presidente presidenta presidentes vicepresidente premier primer ministro ministra ministros canciller
secretario secretaria senador gobernador alcalde alcaldesa embajador enviado portavoz vocero rey reina
príncipe princesa papa director directora jefe homólogo diputado sr sra`,
  pt: `presidente presidenta vice-presidente premiê primeiro-ministro ministro ministra chanceler secretário
senador governador prefeito embaixador porta-voz rei rainha príncipe papa diretor chefe homólogo deputado`,
  de: `präsident präsidentin premier premierminister minister ministerin kanzler kanzlerin sekretär
senator gouverneur bürgermeister botschafter sprecher sprecherin könig königin prinz papst direktor
chef amtskollege abgeordnete herr frau`,
  ru: `президент президента президентом вице-президент премьер премьер-министр министр министра
председатель председателя канцлер секретарь сенатор губернатор мэр посол спикер представитель король
королева принц папа директор глава руководитель коллега депутат господин г-н`,
  ar: `رئيس الرئيس رئيسه نائب نظير نظيره نظيرها وزير الوزير وزيره وزيرة المستشار الامين السفير المتحدث
الناطق الملك الملكه الامير البابا المدير مدير زعيم الزعيم السيد`,
};

export const COMMON_VERBS: Readonly<Record<string, string>> = {
  en: `carries carried carrying launched launches launching held holds holding announced announces
announcing added adding stressed stressing urged urging noted noting expressed expressing
visited visiting opened opens reopened reopens expected expects expecting asked asks asking
worry worries worried convinced replace replaced replacing
keeps kept covered rose fell fallen raised raises thanked
supported agreed agrees became becomes`,
  fr: `a-t-il ont annoncé annonce déclaré affirmé souligné estimé indiqué ajouté précisé rouvert
rouvre ouvert ouvre inauguré lancé tenu appelé exprimé salué attendu attendent attend promis promet
permet permettra circuleront circulent regrettent regrette assuré devra devront pourront pourra
sera seront relier relie reliera`,
  es: `anunció afirmó aseguró señaló indicó añadió destacó subrayó expresó inauguró inaugura abrió abre
comenzó comienza empezó funcionar funciona lanzó celebró llamó instó espera esperan permitirá permite
producirá produce abastecerá temen teme construida construido prometió promete`,
  pt: `anunciou afirmou disse declarou destacou acrescentou inaugurou abriu começou lançou permitirá`,
  de: `sagte erklärte betonte kündigte eröffnete eröffnet begann startete forderte`,
  ru: `открыли открыл открыла открыт откроют открыть заявил заявила сообщили сообщил сообщила отметил
отметила подчеркнул добавил призвал выразил провели провел прошли начали начал смогут сможет
составляет составил соединил соединит связывал ходил закрывалась говорят говорит планируют планирует
займет займёт ждали ждут обошлось обошелся стал стала стали`,
  ar: `دعا يدعو حث أعرب يعرب أشار يشير شدد يشدد أكد يؤكد أضاف يضيف قال يقول أعلن يعلن أوضح يوضح
مضيفا معربا مشيرا مؤكدا أعتقد يتعين يتمنى تتمتع تساند تعارض تدعم تأمل تحافظ ستوفر ستفتح ستحقق
يناسب تخوضها تمس يقدر أقام أقامت شهدت حافظ`,
};

export const WEAK_WORDS: Readonly<Record<string, string>> = {
  en: `new old big small first second third last next main major recent local one two three four five six
seven eight nine ten day days week weeks month months year years time times today people thing things
part lot way percent`,
  fr: `nouveau nouvelle nouveaux nouvelles grand grande petit petite premier première dernier dernière
un deux trois quatre cinq six sept huit neuf dix jour semaine année temps fois part`,
  es: `nuevo nueva nuevos nuevas gran grande pequeño primer primera último última uno dos tres cuatro
cinco seis siete ocho nueve diez semana vez veces parte`,
  pt: `novo nova grande pequeno primeiro primeira último dois três quatro cinco semana vez parte`,
  de: `neue neuen neuer groß große kleine erste zwei drei vier fünf woche jahr jahre mal teil`,
  ru: `новый новая новое новые новую нового новой большой первый первая два две три четыре пять раз
день сутки неделя месяц часть теперь раньше рядом`,
  ar: `جديد جديده الجديد الجديده كبير الكبير الاول الاولي واحد اثنين ثلاث اربع خمس مرة`,
};
