/**
 * Brazilian Portuguese messages of the server-rendered pages (português do Brasil). Same keys
 * as en.ts. Addresses the reader with "você", as the reporter's pages (client/i18n/pt-BR.ts) do:
 * the ordinary, warm form of Brazilian outreach services, with no gender for the reader.
 * Machine-drafted; not yet reviewed by a native speaker.
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': 'Alerte sobre uma pessoa perigosa (formulário simples)',
  'form.note':
    'Este é o formulário simples, para navegadores sem JavaScript. Seu relato é criptografado no nosso servidor assim que chega, e não no seu navegador: por um momento, o servidor tem suas palavras na memória. Nada fica guardado sem criptografia. Este formulário não pode dar a você um código de confirmação, então não podemos responder a você aqui. Se puder, use o formulário completo: ele criptografa no seu aparelho e permite ler as respostas.',
  'form.fullForm': 'Usar o formulário completo',
  'form.required': 'Só as perguntas marcadas como “Obrigatório” precisam de resposta. Deixe de fora o que você não quiser contar.',
  'form.exitNote': 'Sair rápido abre uma página de previsão do tempo. Sem JavaScript, não dá para apagar esta página do histórico do navegador: depois, feche a aba ou use uma janela anônima.',
  'form.problems': {
    one: 'Confira {n} item antes de enviar:',
    many: 'Confira {n} de itens antes de enviar:',
    other: 'Confira {n} itens antes de enviar:',
  },
  'form.perLine': 'Um por linha.',
  'form.send': 'Enviar relato',
  'form.someoneElse': 'Faço o relato por outra pessoa',
  'form.agreed': 'Ela concordou com este relato',
  'form.honeypotLabel': 'Deixe este campo vazio',
  'form.langSubmit': 'Mudar idioma',

  'error.tooQuick': 'O formulário foi enviado rápido demais. Confira e envie de novo.',
  'error.expired': 'Este formulário expirou ou já foi enviado. Confira e envie de novo.',
  'error.busy': 'O formulário simples está ocupado agora. Tente de novo mais tarde, ou use o formulário completo.',
  'error.invalidField': 'Isto não é válido. Confira, por favor.',
  'error.notSent': 'Não enviado',
  'error.unreadable': 'Não foi possível ler o formulário. Volte e tente de novo.',
  'error.honeypot': 'Deixe vazio o último campo, o que está escondido.',
  'error.tooLong': 'Relato longo demais',
  'error.shorten': 'Encurte seu relato e tente de novo.',
  'error.alreadySent': 'Já enviado',
  'error.alreadySentText': 'Este formulário já foi enviado. Obrigado.',
  'error.back': 'Voltar ao formulário',
  'error.full': 'Serviço lotado',
  'error.fullText': 'Não podemos receber novos relatos agora porque nosso armazenamento está cheio. Tente de novo mais tarde.',

  'sent.heading': 'Obrigado. Seu relato foi recebido.',
  'sent.text': 'Ele foi criptografado só para a coordenação. Não podemos responder a você por este formulário simples.',
  'sent.another': 'Enviar outro relato',
  'sent.directHeading': 'Nenhum relato foi enviado desta página',
  'sent.directText': 'Esta página só confirma um relato logo depois do envio. Se você não viu “Obrigado. Seu relato foi recebido.”, seu relato não foi enviado.',
  'sent.toForm': 'Ir para o formulário simples',

  'notFound.title': 'Página não encontrada',
  'notFound.heading': 'Esta página não existe',
  'notFound.report': 'Alerte sobre uma pessoa perigosa',
  'notFound.followUp': 'Leia as respostas com seu código de confirmação',
  'notFound.basic': 'O formulário simples (funciona sem JavaScript)',
  'notFound.emergency': 'Se você está em perigo agora, ligue 999 (Reino Unido) ou 112 (qualquer país da Europa).',

  'placeholder.title': 'Canal de alertas de segurança',
  'placeholder.text': 'O aplicativo web ainda não foi instalado neste servidor.',
  'placeholder.basic': 'Faça um relato com o formulário simples',
  'placeholder.basicNote': '(funciona sem JavaScript)',
};
