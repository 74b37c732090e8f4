/**
 * Polish messages of the server-rendered pages (polski). Same keys as en.ts. Machine-drafted; not yet reviewed by a native speaker.
 * Informal "ty" without gendered past tenses, as in the
 * reporter's pages (client/i18n/pl.ts), whose terms it shares.
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': 'Zgłoś niebezpieczną osobę (prosty formularz)',
  'form.note':
    'To jest prosty formularz dla przeglądarek bez JavaScript. Twoje zgłoszenie jest szyfrowane na naszym serwerze zaraz po dotarciu, a nie w twojej przeglądarce, więc przez chwilę serwer ma twoje słowa w pamięci. Nic nie jest przechowywane bez szyfrowania. Ten formularz nie może dać ci kodu potwierdzenia, więc nie możemy ci tu odpowiedzieć. Jeśli możesz, użyj pełnego formularza: szyfruje na twoim urządzeniu i pozwala czytać odpowiedzi.',
  'form.fullForm': 'Użyj pełnego formularza',
  'form.required': 'Odpowiedzieć trzeba tylko na pytania oznaczone jako „Wymagane”. Pomiń wszystko, czym nie chcesz się dzielić.',
  'form.exitNote': 'Szybkie wyjście otwiera stronę z pogodą. Bez JavaScript nie może usunąć tej strony z historii przeglądarki: potem zamknij kartę albo używaj okna prywatnego.',
  'form.problems': {
    one: 'Przed wysłaniem sprawdź {n} rzecz:',
    few: 'Przed wysłaniem sprawdź {n} rzeczy:',
    many: 'Przed wysłaniem sprawdź {n} rzeczy:',
    other: 'Przed wysłaniem sprawdź {n} rzeczy:',
  },
  'form.perLine': 'Po jednym w wierszu.',
  'form.send': 'Wyślij zgłoszenie',
  'form.someoneElse': 'Zgłaszam w imieniu innej osoby',
  'form.agreed': 'Ta osoba zgadza się na to zgłoszenie',
  'form.honeypotLabel': 'Zostaw to pole puste',
  'form.langSubmit': 'Zmień język',

  'error.tooQuick': 'Formularz został wysłany zbyt szybko. Sprawdź go i wyślij ponownie.',
  'error.expired': 'Ten formularz wygasł albo został już wysłany. Sprawdź go i wyślij ponownie.',
  'error.busy': 'Prosty formularz jest teraz przeciążony. Spróbuj później albo użyj pełnego formularza.',
  'error.invalidField': 'Ta wartość jest nieprawidłowa. Sprawdź ją.',
  'error.notSent': 'Nie wysłano',
  'error.unreadable': 'Nie udało się odczytać formularza. Wróć i spróbuj ponownie.',
  'error.honeypot': 'Zostaw ostatnie, ukryte pole puste.',
  'error.tooLong': 'Zgłoszenie jest za długie',
  'error.shorten': 'Skróć zgłoszenie i spróbuj ponownie.',
  'error.alreadySent': 'Już wysłano',
  'error.alreadySentText': 'Ten formularz został już wysłany. Dziękujemy.',
  'error.back': 'Wróć do formularza',
  'error.full': 'Brak miejsca',
  'error.fullText': 'Nie możemy teraz przyjmować nowych zgłoszeń, bo nasz serwer nie ma już miejsca. Spróbuj później.',

  'sent.heading': 'Dziękujemy. Twoje zgłoszenie dotarło.',
  'sent.text': 'Zostało zaszyfrowane tylko dla koordynatorów. Przez ten prosty formularz nie możemy ci odpowiedzieć.',
  'sent.another': 'Wyślij kolejne zgłoszenie',
  'sent.directHeading': 'Z tej strony nie wysłano żadnego zgłoszenia',
  'sent.directText': 'Ta strona potwierdza zgłoszenie tylko zaraz po jego wysłaniu. Jeśli nie było komunikatu „Dziękujemy. Twoje zgłoszenie dotarło.”, zgłoszenie nie zostało wysłane.',
  'sent.toForm': 'Przejdź do prostego formularza',

  'notFound.title': 'Nie znaleziono strony',
  'notFound.heading': 'Ta strona nie istnieje',
  'notFound.report': 'Zgłoś niebezpieczną osobę',
  'notFound.followUp': 'Odczytaj odpowiedzi kodem potwierdzenia',
  'notFound.basic': 'Prosty formularz (działa bez JavaScript)',
  'notFound.emergency': 'Jeśli jesteś teraz w niebezpieczeństwie, zadzwoń pod 999 (Wielka Brytania) lub 112 (cała Europa).',

  'placeholder.title': 'Bezpieczne zgłoszenia',
  'placeholder.text': 'Aplikacja internetowa nie została jeszcze zbudowana na tym serwerze.',
  'placeholder.basic': 'Zgłoś zdarzenie prostym formularzem',
  'placeholder.basicNote': '(działa bez JavaScript)',
};
