/** The language context of the members' pages and the statistics page (member catalogue, memory only). */
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Lang } from '../i18n/languages.js';
import { MemberI18n, memberCatalogues, memberTranslator } from '../i18n/member/index.js';
import { useLanguage } from '../i18n/use-language.js';

function MemberRoot({ initial, children }: { initial: Lang; children: ComponentChildren }) {
  const [lang, setLang] = useLanguage(memberCatalogues, initial);
  const value = useMemo(() => ({ lang, t: memberTranslator(lang), setLang }), [lang]);
  return <MemberI18n.Provider value={value}>{children}</MemberI18n.Provider>;
}

/**
 * Fetch the browser's preferred language's member catalogue (English if it cannot be had),
 * then call `render` with the page wrapped in the language context.
 */
export function startWithMemberLanguage(page: () => ComponentChildren, render: (tree: ComponentChildren) => void): void {
  const lang = memberCatalogues.initial();
  const go = (l: Lang) => () => render(<MemberRoot initial={l}>{page()}</MemberRoot>);
  void memberCatalogues.load(lang).then(go(lang), go('en'));
}
