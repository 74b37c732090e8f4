/**
 * The console page: a header with sync and navigation, and one panel at a time (inbox,
 * case, offenders, members). New panels (warnings, issue 10) are one entry in PANELS.
 */
import { useEffect, useState } from 'preact/hooks';
import { Alerts } from './Alerts.js';
import { api, type Session } from './api.js';
import { CaseView } from './CaseView.js';
import { ExportPanel } from './ExportPanel.js';
import { idsFromRoute } from './export-model.js';
import { Composer, type ComposeFrom } from './Composer.js';
import { t } from './i18n.js';
import { Inbox } from './Inbox.js';
import { Members } from './Members.js';
import { Offenders } from './Offenders.js';
import { Statistics } from './Statistics.js';
import { Warnings } from './Warnings.js';

type Route =
  | { panel: 'inbox' }
  | { panel: 'case'; id: string }
  | { panel: 'offenders' }
  | { panel: 'members' }
  | { panel: 'warnings' }
  | { panel: 'statistics' }
  | { panel: 'compose'; from: ComposeFrom }
  | { panel: 'export'; ids: string[] }
  | { panel: 'alerts' };

function parseRoute(hash: string): Route {
  const m = /^#\/case\/(.+)$/.exec(hash);
  if (m) return { panel: 'case', id: decodeURIComponent(m[1]!) };
  const c = /^#\/compose(?:\/(case|correct)\/(.+))?$/.exec(hash);
  if (c) return { panel: 'compose', from: !c[1] ? null : c[1] === 'case' ? { case: decodeURIComponent(c[2]!) } : { correct: decodeURIComponent(c[2]!) } };
  const x = /^#\/export\/(.+)$/.exec(hash);
  if (x) return { panel: 'export', ids: idsFromRoute(x[1]!) };
  if (hash === '#/warnings') return { panel: 'warnings' };
  if (hash === '#/statistics') return { panel: 'statistics' };
  if (hash === '#/alerts') return { panel: 'alerts' };
  if (hash === '#/offenders') return { panel: 'offenders' };
  if (hash === '#/members') return { panel: 'members' };
  return { panel: 'inbox' };
}

const NAV: [string, string][] = [
  ['#/', t('app.nav.inbox')],
  ['#/offenders', t('app.nav.offenders')],
  ['#/members', t('app.nav.members')],
  ['#/warnings', t('app.nav.warnings')],
  ['#/statistics', t('app.nav.statistics')],
  ['#/alerts', t('app.nav.alerts')],
];

export function App() {
  const [route, setRoute] = useState<Route>(parseRoute(location.hash));
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState('');
  const [refresh, setRefresh] = useState(0);
  const [syncing, setSyncing] = useState(false);

  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    api<Session>('GET', '/session')
      .then(setSession)
      .catch((e: Error) => setError(e.message));
  }, [refresh]);
  // The console process syncs in the background; the lists follow when it brought something.
  useEffect(() => {
    const timer = setInterval(() => {
      void api<Session>('GET', '/session')
        .then((s) => {
          const r = s.lastSync?.result;
          if (r && r.added + r.changed + r.removed > 0 && s.lastSync!.at !== session?.lastSync?.at) setRefresh((n) => n + 1);
        })
        .catch(() => undefined);
    }, 20_000);
    return () => clearInterval(timer);
  }, [session]);

  const sync = async () => {
    setSyncing(true);
    setError('');
    try {
      await api('POST', '/sync');
      setRefresh((r) => r + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSyncing(false);
    }
  };

  if (!session) return <main class="console">{error ? <p class="error">{error}</p> : <p>{t('common.loading')}</p>}</main>;
  return (
    <div class="console">
      <header class="top">
        <strong class="brand">{t('app.brand')}</strong>
        <nav>
          {NAV.map(([href, label]) => (
            <a href={href} class={route.panel === href.slice(2) || (href === '#/' && (route.panel === 'inbox' || route.panel === 'case')) ? 'current' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <span class="who">
          {session.me.name} · {t('app.reports', { n: session.cases })}
        </span>
        <button type="button" name="sync" onClick={() => void sync()} disabled={syncing}>
          {syncing ? t('app.syncing') : t('app.sync')}
        </button>
      </header>
      {error && <p class="error" role="alert">{error}</p>}
      <main>
        {route.panel === 'inbox' && <Inbox session={session} refresh={refresh} />}
        {route.panel === 'case' && <CaseView id={route.id} session={session} onChange={() => undefined} />}
        {route.panel === 'offenders' && <Offenders session={session} refresh={refresh} />}
        {route.panel === 'members' && <Members />}
        {route.panel === 'warnings' && <Warnings />}
        {route.panel === 'statistics' && <Statistics />}
        {route.panel === 'alerts' && <Alerts />}
        {route.panel === 'compose' && <Composer from={route.from} />}
        {route.panel === 'export' && <ExportPanel ids={route.ids} />}
      </main>
    </div>
  );
}
