/**
 * Albanian messages of the server-rendered pages (shqip). Same keys as en.ts. Machine-drafted; not yet reviewed by a native speaker.
 * Polite "ju", as in the reporter's pages
 * (client/i18n/sq.ts), whose terms it shares ("raport", "kodi i konfirmimit").
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': 'Raportoni një person të rrezikshëm (formulari i thjeshtë)',
  'form.note':
    'Ky është formulari i thjeshtë për shfletues pa JavaScript. Raporti juaj enkriptohet në serverin tonë sapo mbërrin, jo në shfletuesin tuaj, prandaj për një çast serveri i mban fjalët tuaja në kujtesë. Asgjë nuk ruhet pa enkriptim. Ky formular nuk mund t’ju japë kod konfirmimi, prandaj nuk mund t’ju përgjigjemi këtu. Nëse mundeni, përdorni formularin e plotë: ai enkripton në pajisjen tuaj dhe ju lejon të lexoni përgjigjet.',
  'form.fullForm': 'Përdorni formularin e plotë',
  'form.required': 'Duhet t’u përgjigjeni vetëm pyetjeve të shënuara „E detyrueshme“. Lini jashtë çdo gjë që nuk doni ta ndani.',
  'form.exitNote': 'Dalja e shpejtë hap një faqe me motin. Pa JavaScript nuk mund ta heqë këtë faqe nga historiku i shfletuesit: pas kësaj, mbyllni skedën ose përdorni një dritare private.',
  'form.problems': { one: 'Ju lutemi, kontrolloni {n} gjë para dërgimit:', other: 'Ju lutemi, kontrolloni {n} gjëra para dërgimit:' },
  'form.perLine': 'Një për rresht.',
  'form.send': 'Dërgoni raportin',
  'form.someoneElse': 'Po raportoj për dikë tjetër',
  'form.agreed': 'Ai person pajtohet me këtë raport',
  'form.honeypotLabel': 'Lëreni bosh këtë fushë',
  'form.langSubmit': 'Ndryshoni gjuhën',

  'error.tooQuick': 'Formulari u dërgua shumë shpejt. Ju lutemi, kontrollojeni dhe dërgojeni përsëri.',
  'error.expired': 'Ky formular ka skaduar ose është dërguar tashmë. Ju lutemi, kontrollojeni dhe dërgojeni përsëri.',
  'error.busy': 'Formulari i thjeshtë është i zënë tani. Provoni më vonë, ose përdorni formularin e plotë.',
  'error.invalidField': 'Kjo nuk është e vlefshme. Ju lutemi, kontrollojeni.',
  'error.notSent': 'Nuk u dërgua',
  'error.unreadable': 'Formulari nuk mund të lexohej. Kthehuni dhe provoni përsëri.',
  'error.honeypot': 'Ju lutemi, lëreni bosh fushën e fundit, të fshehur.',
  'error.tooLong': 'Raporti është shumë i gjatë',
  'error.shorten': 'Ju lutemi, shkurtojeni raportin dhe provoni përsëri.',
  'error.alreadySent': 'Është dërguar tashmë',
  'error.alreadySentText': 'Ky formular është dërguar tashmë. Faleminderit.',
  'error.back': 'Kthehuni te formulari',
  'error.full': 'Shërbimi është plot',
  'error.fullText': 'Nuk mund të pranojmë raporte të reja tani, sepse hapësira jonë e ruajtjes është plot. Ju lutemi, provoni më vonë.',

  'sent.heading': 'Faleminderit. Raporti juaj u mor.',
  'sent.text': 'U enkriptua vetëm për koordinatorët. Nuk mund t’ju përgjigjemi përmes këtij formulari të thjeshtë.',
  'sent.another': 'Dërgoni një raport tjetër',
  'sent.directHeading': 'Nga kjo faqe nuk u dërgua asnjë raport',
  'sent.directText': 'Kjo faqe e konfirmon një raport vetëm menjëherë pas dërgimit. Nëse nuk e patë „Faleminderit. Raporti juaj u mor.“, raporti juaj nuk u dërgua.',
  'sent.toForm': 'Shkoni te formulari i thjeshtë',

  'notFound.title': 'Faqja nuk u gjet',
  'notFound.heading': 'Kjo faqe nuk ekziston',
  'notFound.report': 'Raportoni një person të rrezikshëm',
  'notFound.followUp': 'Lexoni përgjigjet me kodin e konfirmimit',
  'notFound.basic': 'Formulari i thjeshtë (punon pa JavaScript)',
  'notFound.emergency': 'Nëse jeni në rrezik tani, telefononi 999 (Mbretëria e Bashkuar) ose 112 (kudo në Evropë).',

  'placeholder.title': 'Linja e sinjalizimeve për siguri',
  'placeholder.text': 'Aplikacioni web nuk është ndërtuar ende në këtë server.',
  'placeholder.basic': 'Raportoni një incident me formularin e thjeshtë',
  'placeholder.basicNote': '(punon pa JavaScript)',
};
