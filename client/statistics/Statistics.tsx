/** The public statistics page: the verified summary as tables with SVG bars, newest quarter first. */
import { useEffect, useState } from 'preact/hooks';
import type { PublishedPeriod, PublishedTable } from '../../crypto/index.js';
import { StatBars } from '../components/StatBars.js';
import { ApiError, request } from '../lib/api.js';
import { verifiedProfile } from '../lib/profile.js';
import { pinnedMinKeyringVersion, pinnedRootKey } from '../lib/root-key.js';
import { LanguagePicker } from '../components/LanguagePicker.js';
import { memberCatalogues, useMemberI18n, type MemberTranslate } from '../i18n/member/index.js';
import { formatNumber } from '../i18n/format.js';
import { checkSummary, type Loaded, type Refusal } from './model.js';
import { rowLabel, tableTitle } from './labels.js';

async function text(path: string): Promise<string | undefined> {
  try {
    return await (await request(path, { headers: { accept: 'application/json' } })).text();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

async function load(): Promise<Loaded> {
  let pins;
  try {
    pins = { rootPublicKey: pinnedRootKey(), minKeyringVersion: pinnedMinKeyringVersion() };
  } catch {
    return { state: 'refused', why: 'unpinned' };
  }
  const [keyring, stats] = await Promise.all([text('/api/keyring'), text('/api/statistics')]);
  if (keyring === undefined) return { state: 'refused', why: 'noKeyring' };
  return checkSummary(keyring, stats, pins);
}

/** Why the statistics were refused, in the reader's language. */
function refusal(t: MemberTranslate, r: Refusal): string {
  return t('stats.refused', { reason: r.why === 'rules' ? t('stats.reason.rules', { detail: r.detail }) : t(`stats.reason.${r.why}`) });
}

function Table({ table, regions }: { table: PublishedTable; regions: Record<string, string> }) {
  const { t, lang } = useMemberI18n();
  const title = tableTitle(t, table.id);
  return (
    <section class="stat-table" data-table={table.id}>
      <h3>{title}</h3>
      {!table.rows ? (
        <p class="muted">{t('stats.withheld')}</p>
      ) : (
        <>
          <StatBars title={title} bars={table.rows.map((r) => ({ label: rowLabel(t, lang, table.id, r.key, regions), value: r.value }))} />
          <table>
            <tbody>
              {table.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{rowLabel(t, lang, table.id, r.key, regions)}</th>
                  <td data-key={r.key}>{typeof r.value === 'number' ? formatNumber(lang, r.value) : r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Period({ p, regions }: { p: PublishedPeriod; regions: Record<string, string> }) {
  const { t, lang } = useMemberI18n();
  const [year, quarter] = p.period.split('-Q');
  return (
    <section class="stat-period" data-period={p.period} aria-labelledby={`h-${p.period}`}>
      <h2 id={`h-${p.period}`}>{quarter ? t('stats.quarter', { year: year!, quarter }) : p.period}</h2>
      <p class="stat-total">
        {t('stats.reports')} <strong data-reports>{typeof p.reports === 'number' ? formatNumber(lang, p.reports) : p.reports}</strong>
      </p>
      {p.tables.map((table) => (
        <Table key={table.id} table={table} regions={regions} />
      ))}
    </section>
  );
}

export function Statistics() {
  const { t, lang, setLang } = useMemberI18n();
  useEffect(() => {
    document.title = `${t('stats.title')} · Tipline`;
  }, [lang]);
  const [loaded, setLoaded] = useState<Loaded | 'loading' | 'offline'>('loading');
  const [regions, setRegions] = useState<Record<string, string>>({});
  useEffect(() => {
    load().then(setLoaded, () => setLoaded('offline'));
    // Region names come from the verified profile; without it the region ids are shown.
    verifiedProfile().then(
      (p) => setRegions(Object.fromEntries(p.regions.map((r) => [r.id, r.name]))),
      () => undefined,
    );
  }, []);
  return (
    <div class="app stats-page">
      <header class="top">
        <a href="/">{t('stats.report')}</a>
        <LanguagePicker lang={lang} langs={memberCatalogues.langs} label={t('lang.label')} onChange={setLang} />
      </header>
      <main id="main">
        <h1>{t('stats.title')}</h1>
        <p>{t('stats.intro')}</p>
        {loaded === 'loading' && <p role="status">{t('stats.loading')}</p>}
        {loaded === 'offline' && <p role="alert" class="stat-refused">{refusal(t, { why: 'offline' })}</p>}
        {loaded !== 'loading' && loaded !== 'offline' && loaded.state === 'none' && <p role="status" class="stat-none">{t('stats.none')}</p>}
        {loaded !== 'loading' && loaded !== 'offline' && loaded.state === 'refused' && (
          <p role="alert" class="stat-refused">
            {refusal(t, loaded)}
          </p>
        )}
        {loaded !== 'loading' && loaded !== 'offline' && loaded.state === 'verified' && (
          <>
            <p role="status" class="stat-verified">
              {t('stats.verified', { signer: loaded.signer ?? t('stats.someCoordinator'), issued: loaded.stats.issued })}
            </p>
            <p class="muted">{t('stats.legend')}</p>
            {loaded.stats.periods.length === 0 && <p>{t('stats.noPeriods')}</p>}
            {[...loaded.stats.periods].reverse().map((p) => (
              <Period key={p.period} p={p} regions={regions} />
            ))}
          </>
        )}
      </main>
    </div>
  );
}
