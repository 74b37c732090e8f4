/** The police export's choices: linked reports, regions per report, format, recipient or passphrase (issue 12). */
import type { ExportChoices, Preview, Protect } from './export-model.js';
import { t } from './i18n.js';

export type Region = { id: string; name: string };

export function ExportForm({ c, set, preview, regions }: { c: ExportChoices; set: (c: ExportChoices) => void; preview: Preview | null; regions: Region[] }) {
  const input = (k: 'recipient' | 'passphrase' | 'passphraseAgain') => (e: Event) => set({ ...c, [k]: (e.target as HTMLInputElement).value });
  const toggleRegion = (id: string, region: string) => {
    const now = c.regions[id] ?? [];
    set({ ...c, regions: { ...c.regions, [id]: now.includes(region) ? now.filter((r) => r !== region) : [...now, region] } });
  };
  const included = preview?.outcomes.filter((o) => o.ref) ?? [];
  return (
    <form class="export-form" onSubmit={(e) => e.preventDefault()}>
      <label class="check">
        <input type="checkbox" name="includeLinked" checked={c.includeLinked} onChange={(e) => set({ ...c, includeLinked: (e.target as HTMLInputElement).checked })} />{' '}
        {t('export.includeLinked')}
      </label>
      {regions.length > 0 && included.length > 0 && (
        <fieldset class="export-regions">
          <legend>{t('export.place')}</legend>
          {included.map((o) => (
            <div class="row" key={o.id} data-for={o.ref}>
              <strong>{o.ref}</strong>
              {regions.map((r) => (
                <label class="check" key={r.id}>
                  <input type="checkbox" name={`region-${o.ref}`} value={r.id} checked={(c.regions[o.id] ?? []).includes(r.id)} onChange={() => toggleRegion(o.id, r.id)} /> {r.name}
                </label>
              ))}
            </div>
          ))}
        </fieldset>
      )}
      <fieldset>
        <legend>{t('export.format')}</legend>
        {(['html', 'json'] as const).map((f) => (
          <label class="check" key={f}>
            <input type="radio" name="format" value={f} checked={c.format === f} onChange={() => set({ ...c, format: f })} />{' '}
            {f === 'html' ? t('export.format.html') : t('export.format.json')}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('export.encryption')}</legend>
        {(
          [
            ['recipient', t('export.protect.recipient')],
            ['passphrase', t('export.protect.passphrase')],
            ['plain', t('export.protect.plain')],
          ] as [Protect, string][]
        ).map(([p, text]) => (
          <label class="check" key={p}>
            <input type="radio" name="protect" value={p} checked={c.protect === p} onChange={() => set({ ...c, protect: p })} /> {text}
          </label>
        ))}
        {c.protect === 'recipient' && (
          <label class="block">
            {t('export.recipient')} <input name="recipient" autocomplete="off" spellcheck={false} placeholder={t('export.recipient.placeholder')} value={c.recipient} onInput={input('recipient')} />
          </label>
        )}
        {c.protect === 'passphrase' && (
          <>
            <label class="block">
              {t('export.passphrase')} <input type="password" name="passphrase" autocomplete="new-password" value={c.passphrase} onInput={input('passphrase')} />
            </label>
            <label class="block">
              {t('export.passphraseAgain')} <input type="password" name="passphraseAgain" autocomplete="new-password" value={c.passphraseAgain} onInput={input('passphraseAgain')} />
            </label>
            <p class="muted">{t('export.passphrase.hint')}</p>
          </>
        )}
        {c.protect === 'plain' && (
          <label class="check warn">
            <input type="checkbox" name="plainConfirmed" checked={c.plainConfirmed} onChange={(e) => set({ ...c, plainConfirmed: (e.target as HTMLInputElement).checked })} />{' '}
            {t('export.plainConfirm')}
          </label>
        )}
      </fieldset>
    </form>
  );
}
