/**
 * Italian messages of the server-rendered pages (italiano). Same keys as en.ts. Addresses the
 * reader with "tu", as the reporter's pages (client/i18n/it.ts) do: the informal form Italian
 * outreach services and sex-worker-led groups use.
 * Machine-drafted; not yet reviewed by a native speaker.
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': 'Segnala una persona pericolosa (modulo semplice)',
  'form.note':
    'Questo è il modulo semplice per i browser senza JavaScript. La tua segnalazione viene cifrata sul nostro server appena arriva, non nel tuo browser: per un momento il server ha le tue parole in memoria. Niente viene conservato in chiaro. Questo modulo non può darti un codice di conferma, quindi qui non possiamo risponderti. Se puoi, usa il modulo completo: cifra sul tuo dispositivo e ti permette di leggere le risposte.',
  'form.fullForm': 'Usa il modulo completo',
  'form.required': 'Devi rispondere solo alle domande segnate «Obbligatorio». Tralascia tutto ciò che non ti senti di dire.',
  'form.exitNote': 'Uscita rapida apre una pagina del meteo. Senza JavaScript non può togliere questa pagina dalla cronologia del browser: dopo, chiudi la scheda o usa una finestra privata.',
  'form.problems': {
    one: 'Controlla {n} cosa prima di inviare:',
    many: 'Controlla {n} di cose prima di inviare:',
    other: 'Controlla {n} cose prima di inviare:',
  },
  'form.perLine': 'Uno per riga.',
  'form.send': 'Invia la segnalazione',
  'form.someoneElse': 'Segnalo per un’altra persona',
  'form.agreed': 'Lei è d’accordo con questa segnalazione',
  'form.honeypotLabel': 'Lascia vuoto questo campo',
  'form.langSubmit': 'Cambia lingua',

  'error.tooQuick': 'Il modulo è stato inviato troppo in fretta. Controllalo e invialo di nuovo.',
  'error.expired': 'Questo modulo è scaduto o è già stato inviato. Controllalo e invialo di nuovo.',
  'error.busy': 'Il modulo semplice è occupato in questo momento. Riprova più tardi o usa il modulo completo.',
  'error.invalidField': 'Non è valido. Controlla, per favore.',
  'error.notSent': 'Non inviata',
  'error.unreadable': 'Non è stato possibile leggere il modulo. Torna indietro e riprova.',
  'error.honeypot': 'Lascia vuoto l’ultimo campo, quello nascosto.',
  'error.tooLong': 'Segnalazione troppo lunga',
  'error.shorten': 'Accorcia la segnalazione e riprova.',
  'error.alreadySent': 'Già inviata',
  'error.alreadySentText': 'Questo modulo è già stato inviato. Grazie.',
  'error.back': 'Torna al modulo',
  'error.full': 'Servizio pieno',
  'error.fullText': 'Al momento non possiamo ricevere nuove segnalazioni perché lo spazio di archiviazione è pieno. Riprova più tardi.',

  'sent.heading': 'Grazie. La tua segnalazione è arrivata.',
  'sent.text': 'È stata cifrata solo per il coordinamento. Con questo modulo semplice non possiamo risponderti.',
  'sent.another': 'Invia un’altra segnalazione',
  'sent.directHeading': 'Da questa pagina non è stata inviata nessuna segnalazione',
  'sent.directText': 'Questa pagina conferma una segnalazione solo subito dopo l’invio. Se non hai visto «Grazie. La tua segnalazione è arrivata.», la segnalazione non è stata inviata.',
  'sent.toForm': 'Vai al modulo semplice',

  'notFound.title': 'Pagina non trovata',
  'notFound.heading': 'Questa pagina non esiste',
  'notFound.report': 'Segnala una persona pericolosa',
  'notFound.followUp': 'Leggi le risposte con il tuo codice di conferma',
  'notFound.basic': 'Il modulo semplice (funziona senza JavaScript)',
  'notFound.emergency': 'Se sei in pericolo adesso, chiama il 999 (Regno Unito) o il 112 (in tutta Europa).',

  'placeholder.title': 'Linea di segnalazione per la sicurezza',
  'placeholder.text': 'L’applicazione web non è ancora stata installata su questo server.',
  'placeholder.basic': 'Fai una segnalazione con il modulo semplice',
  'placeholder.basicNote': '(funziona senza JavaScript)',
};
