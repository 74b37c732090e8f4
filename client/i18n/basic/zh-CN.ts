/**
 * Simplified Chinese messages of the server-rendered pages (简体中文). Same keys as en.ts.
 * «你», full-width punctuation, as on the reporter's pages (client/i18n/zh-CN.ts), where the
 * choice is explained. No plural forms.
 * Machine-drafted; not yet reviewed by a native speaker.
 */
import type { BasicMessages } from './en.js';

export const messages: BasicMessages = {
  'form.title': '报告危险人物（简易表单）',
  'form.note':
    '这是给不能运行 JavaScript 的浏览器用的简易表单。你的报告一到我们的服务器就会加密，而不是在你的浏览器里加密，所以有一小会儿，你写的内容会在服务器内存里。不会保存任何未加密的内容。这个表单不能给你回执码，所以我们无法在这里回复你。如果可以，请用完整表单：它在你的设备上加密，还能让你查看回复。',
  'form.fullForm': '使用完整表单',
  'form.required': '只有标着“必填”的问题必须回答。不想说的可以不写。',
  'form.exitNote': '“快速离开”会打开一个天气页面。没有 JavaScript，它无法把本页从浏览器历史记录里删除：之后请关闭标签页，或使用无痕窗口。',
  'form.problems': { other: '发送前请检查 {n} 处：' },
  'form.perLine': '每行一个。',
  'form.send': '发送报告',
  'form.someoneElse': '我在替别人报告',
  'form.agreed': '对方同意这份报告',
  'form.honeypotLabel': '此栏请留空',
  'form.langSubmit': '切换语言',

  'error.tooQuick': '表单提交得太快了。请检查后重新发送。',
  'error.expired': '这个表单已过期或已经发送过。请检查后重新发送。',
  'error.busy': '简易表单现在太忙。请稍后再试，或使用完整表单。',
  'error.invalidField': '这一项无效，请检查。',
  'error.notSent': '未发送',
  'error.unreadable': '无法读取表单。请返回重试。',
  'error.honeypot': '请让最后那个隐藏的栏目保持空白。',
  'error.tooLong': '报告太长',
  'error.shorten': '请缩短报告后重试。',
  'error.alreadySent': '已经发送',
  'error.alreadySentText': '这个表单已经发送过了。谢谢你。',
  'error.back': '返回表单',
  'error.full': '存储已满',
  'error.fullText': '我们的存储空间已满，暂时无法接收新报告。请稍后再试。',

  'sent.heading': '谢谢你。我们已收到你的报告。',
  'sent.text': '报告已加密，只有协调员能看。我们无法通过这个简易表单回复你。',
  'sent.another': '再发一份报告',
  'sent.directHeading': '本页没有发送任何报告',
  'sent.directText': '本页只在报告刚发送后确认收到。如果你没有看到“谢谢你。我们已收到你的报告。”，说明报告没有发出。',
  'sent.toForm': '前往简易表单',

  'notFound.title': '找不到页面',
  'notFound.heading': '此页面不存在',
  'notFound.report': '报告危险人物',
  'notFound.followUp': '用回执码查看回复',
  'notFound.basic': '简易表单（不需要 JavaScript）',
  'notFound.emergency': '如果你现在有危险，请拨打 999（英国）或 112（欧洲各国）。',

  'placeholder.title': '安全热线',
  'placeholder.text': '这台服务器上还没有构建网页客户端。',
  'placeholder.basic': '用简易表单报告事件',
  'placeholder.basicNote': '（不需要 JavaScript）',
};
