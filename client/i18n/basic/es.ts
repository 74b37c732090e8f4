/**
 * Spanish messages of the server-rendered pages (español). Same keys as en.ts. Neutral Spanish
 * for Spain and Latin America; addresses the reader with "tú", as the reporter's pages
 * (client/i18n/es.ts) do: the warm, informal form of sex-worker-led groups and outreach services.
 * Machine-drafted; not yet reviewed by a native speaker.
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': 'Avisa sobre una persona peligrosa (formulario básico)',
  'form.note':
    'Este es el formulario básico para navegadores sin JavaScript. Tu reporte se cifra en nuestro servidor en cuanto llega, no en tu navegador, así que durante un momento el servidor tiene tus palabras en memoria. No se guarda nada sin cifrar. Este formulario no puede darte un código de confirmación, así que no podemos responderte aquí. Si puedes, usa el formulario completo: cifra en tu dispositivo y te permite leer las respuestas.',
  'form.fullForm': 'Usar el formulario completo',
  'form.required': 'Solo tienes que responder las preguntas marcadas como “Obligatorio”. No pongas nada que no quieras contar.',
  'form.exitNote': 'Salida rápida abre una página del clima. Sin JavaScript no puede borrar esta página del historial del navegador: después, cierra la pestaña o usa una ventana privada.',
  'form.problems': {
    one: 'Revisa {n} cosa antes de enviar:',
    many: 'Revisa {n} de cosas antes de enviar:',
    other: 'Revisa {n} cosas antes de enviar:',
  },
  'form.perLine': 'Uno por línea.',
  'form.send': 'Enviar reporte',
  'form.someoneElse': 'Hago el reporte por otra persona',
  'form.agreed': 'Ella está de acuerdo con este reporte',
  'form.honeypotLabel': 'Deja este campo vacío',
  'form.langSubmit': 'Cambiar idioma',

  'error.tooQuick': 'El formulario se envió demasiado rápido. Revísalo y envíalo otra vez.',
  'error.expired': 'Este formulario expiró o ya se envió. Revísalo y envíalo otra vez.',
  'error.busy': 'El formulario básico está ocupado ahora. Inténtalo más tarde o usa el formulario completo.',
  'error.invalidField': 'Esto no es válido. Revísalo, por favor.',
  'error.notSent': 'No enviado',
  'error.unreadable': 'No se pudo leer el formulario. Vuelve atrás e inténtalo otra vez.',
  'error.honeypot': 'Deja vacío el último campo, el que está oculto.',
  'error.tooLong': 'Reporte demasiado largo',
  'error.shorten': 'Acorta tu reporte e inténtalo otra vez.',
  'error.alreadySent': 'Ya enviado',
  'error.alreadySentText': 'Este formulario ya se envió. Gracias.',
  'error.back': 'Volver al formulario',
  'error.full': 'Servicio lleno',
  'error.fullText': 'Ahora no podemos recibir reportes nuevos porque nuestro almacenamiento está lleno. Inténtalo más tarde.',

  'sent.heading': 'Gracias. Recibimos tu reporte.',
  'sent.text': 'Se cifró solo para la coordinación. No podemos responderte a través de este formulario básico.',
  'sent.another': 'Enviar otro reporte',
  'sent.directHeading': 'No se envió ningún reporte desde esta página',
  'sent.directText': 'Esta página solo confirma un reporte justo después de enviarlo. Si no viste “Gracias. Recibimos tu reporte.”, tu reporte no se envió.',
  'sent.toForm': 'Ir al formulario básico',

  'notFound.title': 'Página no encontrada',
  'notFound.heading': 'Esta página no existe',
  'notFound.report': 'Avisa sobre una persona peligrosa',
  'notFound.followUp': 'Lee las respuestas con tu código de confirmación',
  'notFound.basic': 'El formulario básico (funciona sin JavaScript)',
  'notFound.emergency': 'Si estás en peligro ahora, llama al 999 (Reino Unido) o al 112 (cualquier país de Europa).',

  'placeholder.title': 'Línea de avisos de seguridad',
  'placeholder.text': 'La aplicación web todavía no se ha instalado en este servidor.',
  'placeholder.basic': 'Haz un reporte con el formulario básico',
  'placeholder.basicNote': '(funciona sin JavaScript)',
};
