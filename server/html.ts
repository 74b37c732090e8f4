/** Minimal server-side HTML: escaping and the page shell (no inline script or style). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and quoted attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** Where the quick-exit link goes: an everyday page that looks like nothing in particular. */
export const QUICK_EXIT_URL = 'https://www.google.com/search?q=weather';

/** The page's language: its BCP 47 tag, text direction and the quick-exit link's text in it. */
export interface PageLang {
  readonly tag: string;
  readonly dir?: 'ltr' | 'rtl';
  readonly exit: string;
}

const ENGLISH_PAGE: PageLang = { tag: 'en', exit: 'Quick exit' };

/** A whole page in `lang` (English unless given); `body` is already HTML. */
export function page(title: string, body: string, lang: PageLang = ENGLISH_PAGE): string {
  return `<!doctype html>
<html lang="${esc(lang.tag)}"${lang.dir === 'rtl' ? ' dir="rtl"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/report/basic.css">
</head>
<body>
<header><a class="exit" href="${QUICK_EXIT_URL}" rel="noreferrer noopener">${esc(lang.exit)}</a></header>
<main>
${body}
</main>
</body>
</html>
`;
}

export const STYLESHEET = `*{box-sizing:border-box}
body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#111;background:#fff;overflow-wrap:anywhere}
main{max-width:40rem;margin:0 auto;padding:1rem}
header{display:flex;justify-content:flex-end;padding:.5rem}
.exit{background:#b00020;color:#fff;padding:.5rem 1rem;border-radius:.3rem;text-decoration:none;font-weight:bold}
fieldset{border:1px solid #ccc;border-radius:.3rem;margin:0 0 1rem;padding:.5rem 1rem}
legend{font-weight:bold}
label{display:block;margin:.4rem 0}
input[type=text],input[type=date],select,textarea{display:block;width:100%;padding:.4rem;font:inherit;margin-top:.2rem}
textarea{min-height:8rem}
.choice{display:flex;gap:.5rem;align-items:baseline}
.choice input{flex:none}
.note{background:#fff8e1;border-left:4px solid #f9a825;padding:.5rem 1rem}
.error{background:#fdecea;border-left:4px solid #b00020;padding:.5rem 1rem}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
button{font:inherit;padding:.6rem 1.2rem;background:#0b57d0;color:#fff;border:0;border-radius:.3rem}
.contacts{margin:.25rem 0 .75rem;padding-left:1.2rem}
.contact-group{font-weight:bold;margin-bottom:0}
.contacts a{overflow-wrap:anywhere}
`;
