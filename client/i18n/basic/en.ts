/**
 * English messages of the server-rendered pages a reporter sees: the no-JavaScript report
 * form (server/routes/basic-form.ts), its result pages, the 404 page (server/not-found.ts) and
 * the placeholder shown before the web client is built (server/routes/static.ts). Plain data,
 * no code. Other languages (`./<tag>.ts`) have exactly the same keys (type {@link BasicMessages}).
 * The form's questions are the wizard's own (client/i18n/<tag>.ts), not repeated here.
 * `{name}` marks a value filled in at run time; a count's message is a plural object keyed by
 * CLDR plural category (Intl.PluralRules) with `{n}` for the number.
 */
import type { CatalogueOf } from '../plural.js';

export const messages = {
  'form.title': 'Report a dangerous person (basic form)',
  'form.note':
    'This is the basic form for browsers without JavaScript. Your report is encrypted on our server as soon as it arrives, not in your browser, so for a moment the server handles your words in memory. Nothing is kept unencrypted. This form cannot give you a receipt code, so we cannot reply to you here. If you can, use the full form: it encrypts on your device and lets you read replies.',
  'form.fullForm': 'Use the full form',
  'form.required': 'Only questions marked “Required” must be answered. Leave out anything you are not comfortable sharing.',
  'form.exitNote': 'Quick exit opens a weather page. Without JavaScript it cannot remove this page from your browser’s history: afterwards, close the tab, or use a private window.',
  'form.problems': { one: 'Please check {n} thing before sending:', other: 'Please check {n} things before sending:' },
  'form.perLine': 'One per line.',
  'form.send': 'Send report',
  'form.someoneElse': 'I am reporting for someone else',
  'form.agreed': 'They agreed to this report',
  'form.honeypotLabel': 'Leave this field empty',
  'form.langSubmit': 'Change language',

  'error.tooQuick': 'The form was sent too quickly. Please check it and send it again.',
  'error.expired': 'This form has expired or was already sent. Please check it and send it again.',
  'error.busy': 'The basic form is busy right now. Please try again later, or use the full form.',
  'error.invalidField': 'This is not valid. Please check it.',
  'error.notSent': 'Not sent',
  'error.unreadable': 'The form could not be read. Please go back and try again.',
  'error.honeypot': 'Please leave the last, hidden field empty.',
  'error.tooLong': 'Report too long',
  'error.shorten': 'Please shorten your report and try again.',
  'error.alreadySent': 'Already sent',
  'error.alreadySentText': 'This form was already sent. Thank you.',
  'error.back': 'Back to the form',
  'error.full': 'Service full',
  'error.fullText': 'We cannot take new reports right now because our storage is full. Please try again later.',

  'sent.heading': 'Thank you. Your report was received.',
  'sent.text': 'It was encrypted for the coordinators only. We cannot reply to you through this basic form.',
  'sent.another': 'Send another report',
  'sent.directHeading': 'No report was sent from this page',
  'sent.directText': 'This page confirms a report only straight after it is sent. If you did not see “Thank you. Your report was received.”, your report was not sent.',
  'sent.toForm': 'Go to the basic form',

  'notFound.title': 'Page not found',
  'notFound.heading': 'This page does not exist',
  'notFound.report': 'Report a dangerous person',
  'notFound.followUp': 'Read replies with your receipt code',
  'notFound.basic': 'The basic form (works without JavaScript)',
  'notFound.emergency': 'If you are in danger now, call 999 (UK) or 112 (anywhere in Europe).',

  'placeholder.title': 'Safety tip line',
  'placeholder.text': 'The web client has not been built on this server yet.',
  'placeholder.basic': 'Report an incident with the basic form',
  'placeholder.basicNote': '(works without JavaScript)',
} as const;

export type BasicMessageKey = keyof typeof messages;

/** The shape every basic catalogue has: English's keys, a string or (where English has one) a plural object. */
export type BasicMessages = CatalogueOf<typeof messages>;
