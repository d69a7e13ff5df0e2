/**
 * Boilerplate lines per language, as data: share buttons, "read more" links, follow
 * prompts, cookie notices, copyright lines, editor credits. A paragraph is dropped
 * when it is short and starts with one of these phrases (case-insensitive).
 */
export const BOILERPLATE_STARTS: readonly string[] = [
  // English
  "share this", "share on", "share:", "share", "tweet", "email this", "print this", "read more", "read also",
  "see also", "related:", "related articles", "related stories", "more on this", "follow us", "follow @",
  "subscribe to", "sign up for", "click here", "we use cookies", "this site uses cookies", "this website uses cookies",
  "by continuing to", "accept cookies", "all rights reserved", "copyright ©", "©", "advertisement",
  "(reporting by", "reporting by", "editing by", "additional reporting", "listen to this article",
  "image caption", "image copyright", "getty images", "media playback",
  // French
  "partager", "partagez", "lire aussi", "lire la suite", "à lire aussi", "voir aussi", "suivez-nous",
  "suivez nous", "abonnez-vous", "nous utilisons des cookies", "ce site utilise des cookies",
  "tous droits réservés", "publicité",
  // Spanish / Portuguese
  "compartir", "comparte", "leer más", "lee también", "lea también", "ver también", "síguenos", "siguenos",
  "suscríbete", "utilizamos cookies", "este sitio utiliza cookies", "usamos cookies", "todos los derechos reservados",
  "publicidad", "compartilhe", "compartilhar", "leia mais", "leia também", "siga-nos", "todos os direitos reservados",
  // German
  "teilen", "mehr lesen", "lesen sie auch", "folgen sie uns", "wir verwenden cookies", "alle rechte vorbehalten",
  "werbung",
  // Russian
  "поделиться", "читайте также", "читать далее", "подробнее", "подписывайтесь", "следите за нами",
  "мы используем файлы cookie", "мы используем cookie", "все права защищены", "реклама",
  // Arabic (normalised forms are compared after normalisation too)
  "مشاركة", "شارك", "شاركها", "اقرأ أيضا", "اقرأ ايضا", "اقرأ المزيد", "إقرأ أيضا", "تابعونا", "تابعنا",
  "جميع الحقوق محفوظة", "نستخدم ملفات تعريف الارتباط", "إعلان",
  // Chinese
  "分享到", "分享", "责任编辑", "【纠错】", "纠错", "扫一扫", "阅读全文", "更多精彩", "关注我们", "相关新闻",
  "相关阅读", "版权所有", "本网站使用", "我们使用cookie", "点击进入", "(完)", "（完）",
  // Japanese
  "シェア", "この記事をシェア", "続きを読む", "関連記事",
];

/** Trailing share/crumb words glued to the end of the last line ("... والصحة. مشاركة :"). */
export const TRAILING_CRUMBS: readonly string[] = [
  "مشاركة", "شارك", "share this", "share", "partager", "compartir", "поделиться", "分享", "teilen", "compartilhar",
];
