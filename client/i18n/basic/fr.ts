/**
 * French messages of the server-rendered pages (français). Same keys as en.ts. Addresses the
 * reader with "vous", as the reporter's pages (client/i18n/fr.ts) do: the form French public
 * and health services use with adults, never wrong for any francophone reader. French
 * typography: narrow no-break space (U+202F) before ? ! : ; and inside « ».
 * Machine-drafted; not yet reviewed by a native speaker.
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': 'Signaler une personne dangereuse (formulaire simple)',
  'form.note':
    'Ceci est le formulaire simple, pour les navigateurs sans JavaScript. Votre signalement est chiffré sur notre serveur dès son arrivée, et non dans votre navigateur : pendant un instant, le serveur a vos mots en mémoire. Rien n’est gardé en clair. Ce formulaire ne peut pas vous donner de code de confirmation, donc nous ne pouvons pas vous répondre ici. Si vous le pouvez, utilisez le formulaire complet : il chiffre sur votre appareil et vous permet de lire les réponses.',
  'form.fullForm': 'Utiliser le formulaire complet',
  'form.required': 'Seules les questions marquées « Obligatoire » doivent avoir une réponse. Laissez de côté ce que vous ne voulez pas dire.',
  'form.exitNote': 'Sortie rapide ouvre une page météo. Sans JavaScript, elle ne peut pas effacer cette page de l’historique du navigateur : ensuite, fermez l’onglet ou utilisez une fenêtre de navigation privée.',
  'form.problems': {
    one: 'Vérifiez {n} point avant d’envoyer :',
    many: 'Vérifiez {n} de points avant d’envoyer :',
    other: 'Vérifiez {n} points avant d’envoyer :',
  },
  'form.perLine': 'Un par ligne.',
  'form.send': 'Envoyer le signalement',
  'form.someoneElse': 'Je signale pour une autre personne',
  'form.agreed': 'Elle est d’accord avec ce signalement',
  'form.honeypotLabel': 'Laissez ce champ vide',
  'form.langSubmit': 'Changer de langue',

  'error.tooQuick': 'Le formulaire a été envoyé trop vite. Vérifiez-le et renvoyez-le.',
  'error.expired': 'Ce formulaire a expiré ou a déjà été envoyé. Vérifiez-le et renvoyez-le.',
  'error.busy': 'Le formulaire simple est saturé pour le moment. Réessayez plus tard, ou utilisez le formulaire complet.',
  'error.invalidField': 'Ce n’est pas valide. Merci de vérifier.',
  'error.notSent': 'Non envoyé',
  'error.unreadable': 'Le formulaire n’a pas pu être lu. Revenez en arrière et réessayez.',
  'error.honeypot': 'Merci de laisser vide le dernier champ, celui qui est caché.',
  'error.tooLong': 'Signalement trop long',
  'error.shorten': 'Merci de raccourcir votre signalement et de réessayer.',
  'error.alreadySent': 'Déjà envoyé',
  'error.alreadySentText': 'Ce formulaire a déjà été envoyé. Merci.',
  'error.back': 'Retour au formulaire',
  'error.full': 'Service saturé',
  'error.fullText': 'Nous ne pouvons pas recevoir de nouveaux signalements pour le moment, car notre espace de stockage est plein. Réessayez plus tard.',

  'sent.heading': 'Merci. Votre signalement a bien été reçu.',
  'sent.text': 'Il a été chiffré pour l’équipe de coordination seulement. Nous ne pouvons pas vous répondre par ce formulaire simple.',
  'sent.another': 'Envoyer un autre signalement',
  'sent.directHeading': 'Aucun signalement n’a été envoyé depuis cette page',
  'sent.directText': 'Cette page ne confirme un signalement que juste après son envoi. Si vous n’avez pas vu « Merci. Votre signalement a bien été reçu. », votre signalement n’a pas été envoyé.',
  'sent.toForm': 'Aller au formulaire simple',

  'notFound.title': 'Page introuvable',
  'notFound.heading': 'Cette page n’existe pas',
  'notFound.report': 'Signaler une personne dangereuse',
  'notFound.followUp': 'Lire les réponses avec votre code de confirmation',
  'notFound.basic': 'Le formulaire simple (fonctionne sans JavaScript)',
  'notFound.emergency': 'Si vous êtes en danger maintenant, appelez le 999 (Royaume-Uni) ou le 112 (partout en Europe).',

  'placeholder.title': 'Ligne d’alerte sécurité',
  'placeholder.text': 'Le client web n’a pas encore été installé sur ce serveur.',
  'placeholder.basic': 'Faire un signalement avec le formulaire simple',
  'placeholder.basicNote': '(fonctionne sans JavaScript)',
};
