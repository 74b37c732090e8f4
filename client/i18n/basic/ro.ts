/**
 * Romanian messages of the server-rendered pages (română). Same keys as en.ts. Addresses the
 * reader with the informal "tu", as the reporter's pages (client/i18n/ro.ts) do.
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': 'Raportează o persoană periculoasă (formular simplu)',
  'form.note':
    'Acesta este formularul simplu pentru browsere fără JavaScript. Raportul tău este criptat pe serverul nostru imediat ce ajunge, nu în browserul tău, așa că pentru o clipă serverul îți are cuvintele în memorie. Nimic nu este păstrat necriptat. Acest formular nu îți poate da un cod de confirmare, deci nu îți putem răspunde aici. Dacă poți, folosește formularul complet: criptează pe dispozitivul tău și îți permite să citești răspunsurile.',
  'form.fullForm': 'Folosește formularul complet',
  'form.required': 'Doar întrebările marcate „Obligatoriu” cer un răspuns. Nu scrie nimic din ce nu vrei să spui.',
  'form.exitNote': 'Ieșirea rapidă deschide o pagină cu vremea. Fără JavaScript nu poate șterge această pagină din istoricul browserului: după aceea, închide fila sau folosește o fereastră privată.',
  'form.problems': {
    one: 'Te rugăm să verifici {n} lucru înainte de trimitere:',
    few: 'Te rugăm să verifici {n} lucruri înainte de trimitere:',
    other: 'Te rugăm să verifici {n} de lucruri înainte de trimitere:',
  },
  'form.perLine': 'Câte unul pe rând.',
  'form.send': 'Trimite raportul',
  'form.someoneElse': 'Raportez pentru altcineva',
  'form.agreed': 'Persoana a fost de acord cu acest raport',
  'form.honeypotLabel': 'Lasă acest câmp gol',
  'form.langSubmit': 'Schimbă limba',

  'error.tooQuick': 'Formularul a fost trimis prea repede. Verifică-l și trimite-l din nou.',
  'error.expired': 'Acest formular a expirat sau a fost deja trimis. Verifică-l și trimite-l din nou.',
  'error.busy': 'Formularul simplu este ocupat acum. Încearcă mai târziu sau folosește formularul complet.',
  'error.invalidField': 'Nu este valid. Te rugăm să verifici.',
  'error.notSent': 'Netrimis',
  'error.unreadable': 'Formularul nu a putut fi citit. Întoarce-te și încearcă din nou.',
  'error.honeypot': 'Te rugăm să lași gol ultimul câmp, cel ascuns.',
  'error.tooLong': 'Raport prea lung',
  'error.shorten': 'Te rugăm să scurtezi raportul și să încerci din nou.',
  'error.alreadySent': 'Deja trimis',
  'error.alreadySentText': 'Acest formular a fost deja trimis. Mulțumim.',
  'error.back': 'Înapoi la formular',
  'error.full': 'Serviciu plin',
  'error.fullText': 'Nu putem primi rapoarte noi acum, pentru că spațiul nostru de stocare este plin. Te rugăm să încerci mai târziu.',

  'sent.heading': 'Mulțumim. Raportul tău a fost primit.',
  'sent.text': 'A fost criptat doar pentru coordonatori. Nu îți putem răspunde prin acest formular simplu.',
  'sent.another': 'Trimite alt raport',
  'sent.directHeading': 'Nu a fost trimis niciun raport de pe această pagină',
  'sent.directText': 'Această pagină confirmă un raport doar imediat după trimitere. Dacă nu ai văzut „Mulțumim. Raportul tău a fost primit.”, raportul nu a fost trimis.',
  'sent.toForm': 'Mergi la formularul simplu',

  'notFound.title': 'Pagina nu a fost găsită',
  'notFound.heading': 'Această pagină nu există',
  'notFound.report': 'Raportează o persoană periculoasă',
  'notFound.followUp': 'Citește răspunsurile cu codul tău de confirmare',
  'notFound.basic': 'Formularul simplu (funcționează fără JavaScript)',
  'notFound.emergency': 'Dacă ești în pericol acum, sună la 112 (în toată Europa) sau la 999 (în Marea Britanie).',

  'placeholder.title': 'Linie de informare pentru siguranță',
  'placeholder.text': 'Aplicația web nu a fost încă instalată pe acest server.',
  'placeholder.basic': 'Raportează un incident cu formularul simplu',
  'placeholder.basicNote': '(funcționează fără JavaScript)',
};
