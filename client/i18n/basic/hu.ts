/**
 * Hungarian messages of the server-rendered pages (magyar). Same keys as en.ts. Machine-drafted; not yet reviewed by a native speaker.
 * Informal "te" and noun buttons, as in the reporter's
 * pages (client/i18n/hu.ts), whose terms it shares ("bejelentés", "visszaigazoló kód").
 * Hungarian keeps the noun singular after a number, so both plural forms read the same.
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': 'Veszélyes személy bejelentése (egyszerű űrlap)',
  'form.note':
    'Ez az egyszerű űrlap JavaScript nélküli böngészőkhöz. A bejelentésedet a szerverünk titkosítja, amint megérkezik, nem a böngésződ, így egy pillanatig a szerver memóriájában vannak a szavaid. Semmit nem tárolunk titkosítatlanul. Ez az űrlap nem tud visszaigazoló kódot adni, ezért itt nem tudunk válaszolni neked. Ha teheted, használd a teljes űrlapot: az a saját eszközödön titkosít, és elolvashatod vele a válaszokat.',
  'form.fullForm': 'A teljes űrlap használata',
  'form.required': 'Csak a „Kötelező” jelölésű kérdésekre kell válaszolni. Hagyj ki mindent, amit nem szívesen osztasz meg.',
  'form.exitNote': 'A gyors kilépés egy időjárás-oldalt nyit meg. JavaScript nélkül nem tudja törölni ezt az oldalt a böngésző előzményeiből: utána zárd be a lapot, vagy használj privát ablakot.',
  'form.problems': { one: 'Küldés előtt ellenőrizz {n} dolgot:', other: 'Küldés előtt ellenőrizz {n} dolgot:' },
  'form.perLine': 'Soronként egyet.',
  'form.send': 'Bejelentés küldése',
  'form.someoneElse': 'Valaki más nevében jelentem be',
  'form.agreed': 'Az érintett beleegyezett a bejelentésbe',
  'form.honeypotLabel': 'Ezt a mezőt hagyd üresen',
  'form.langSubmit': 'Nyelv váltása',

  'error.tooQuick': 'Az űrlap túl gyorsan lett elküldve. Ellenőrizd, és küldd el újra.',
  'error.expired': 'Ez az űrlap lejárt, vagy már elküldték. Ellenőrizd, és küldd el újra.',
  'error.busy': 'Az egyszerű űrlap most túlterhelt. Próbáld újra később, vagy használd a teljes űrlapot.',
  'error.invalidField': 'Ez nem érvényes. Kérjük, ellenőrizd.',
  'error.notSent': 'Nem ment el',
  'error.unreadable': 'Az űrlapot nem sikerült beolvasni. Lépj vissza, és próbáld újra.',
  'error.honeypot': 'Kérjük, az utolsó, rejtett mezőt hagyd üresen.',
  'error.tooLong': 'Túl hosszú bejelentés',
  'error.shorten': 'Kérjük, rövidítsd le a bejelentést, és próbáld újra.',
  'error.alreadySent': 'Már elküldve',
  'error.alreadySentText': 'Ezt az űrlapot már elküldték. Köszönjük.',
  'error.back': 'Vissza az űrlaphoz',
  'error.full': 'Nincs hely',
  'error.fullText': 'Most nem tudunk új bejelentést fogadni, mert megtelt a tárhelyünk. Kérjük, próbáld újra később.',

  'sent.heading': 'Köszönjük. A bejelentésed megérkezett.',
  'sent.text': 'Csak a koordinátorok számára titkosítottuk. Ezen az egyszerű űrlapon keresztül nem tudunk válaszolni neked.',
  'sent.another': 'Új bejelentés küldése',
  'sent.directHeading': 'Erről az oldalról nem ment el bejelentés',
  'sent.directText': 'Ez az oldal csak közvetlenül a küldés után igazol vissza bejelentést. Ha nem láttad ezt: „Köszönjük. A bejelentésed megérkezett.”, akkor a bejelentésed nem ment el.',
  'sent.toForm': 'Tovább az egyszerű űrlapra',

  'notFound.title': 'Az oldal nem található',
  'notFound.heading': 'Ez az oldal nem létezik',
  'notFound.report': 'Veszélyes személy bejelentése',
  'notFound.followUp': 'Válaszok olvasása a visszaigazoló kóddal',
  'notFound.basic': 'Az egyszerű űrlap (JavaScript nélkül is működik)',
  'notFound.emergency': 'Ha most veszélyben vagy, hívd a 999-et (Egyesült Királyság) vagy a 112-t (egész Európa).',

  'placeholder.title': 'Biztonsági bejelentővonal',
  'placeholder.text': 'Ezen a szerveren még nincs elkészítve a webes alkalmazás.',
  'placeholder.basic': 'Eset bejelentése az egyszerű űrlappal',
  'placeholder.basicNote': '(JavaScript nélkül is működik)',
};
