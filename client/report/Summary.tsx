/** Everything that will be sent, in the reporter's language, with a way back to each step. Text is rendered as text. */
import { useI18n, type MessageKey } from '../i18n/index.js';
import type { Path, Report, Step } from './model.js';

type Row = [label: string, value: string];

/** Where each section is answered in the quick path; sections absent here are not part of it. */
const QUICK_HOME: Partial<Record<Step, Step>> = { intro: 'intro', what: 'what', when: 'whenWhere', where: 'whenWhere', person: 'them', ids: 'them', account: 'them', publish: 'consent' };

function dateText(report: Report, lang: string, t: ReturnType<typeof useI18n>['t']): string | undefined {
  if (!report.date) return undefined;
  if (report.datePrecision === 'month') {
    const [y, m] = report.date.split('-').map(Number);
    return t('when.approxMonth', { month: new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric' }).format(new Date(y!, m! - 1, 1)) });
  }
  if (report.datePrecision === 'week') return t('when.approxWeek', { date: report.date });
  return report.date;
}

export function Summary({ report, photos, path, onEdit }: { report: Report; photos: number; path: Path; onEdit(step: Step): void }) {
  const { t, lang } = useI18n();
  const label = (prefix: string, v: string | undefined) => (v === undefined ? undefined : t(`${prefix}.${v}` as MessageKey));
  const row = (k: MessageKey, v: string | undefined | false): Row | undefined => (v ? [t(k), v] : undefined);
  const list = (v: readonly string[] | undefined) => (v && v.length > 0 ? v.join('\n') : undefined);
  const o = report.offender ?? {};
  const v = report.vehicle ?? {};
  const ids = report.identifiers ?? {};
  const c = report.consent ?? ({} as Partial<Report['consent']>);

  const sections: { step: Step; title: MessageKey; rows: (Row | undefined)[] }[] = [
    {
      step: 'what',
      title: 'what.heading',
      rows: [
        row('summary.types', report.incidentTypes.map((x) => t(`incident.${x}`)).join('\n')),
        row('what.otherLabel', report.incidentOther),
      ],
    },
    {
      step: 'intro',
      title: 'behalf.heading',
      rows: [
        row('behalf.legend', report.onBehalfOf?.forSomeoneElse ? t('behalf.other') : t('behalf.self')),
        row('behalf.consent', report.onBehalfOf?.forSomeoneElse && (report.onBehalfOf.theyConsented ? t('behalf.consentYes') : t('behalf.consentNo'))),
      ],
    },
    { step: 'when', title: 'when.heading', rows: [row('when.date', dateText(report, lang, t)), row('when.band', label('band', report.timeBand))] },
    {
      step: 'where',
      title: 'where.heading',
      rows: [row('where.area', report.area), row('where.setting', label('setting', report.setting)), row('where.otherLabel', report.settingOther)],
    },
    {
      step: 'contact',
      title: 'contact.heading',
      rows: [row('contact.legend', label('method', report.contactMethod)), row('contact.detail', report.contactDetail)],
    },
    {
      step: 'person',
      title: 'person.heading',
      rows: [
        row('person.count', label('count', o.count)),
        row('person.gender', label('gender', o.gender)),
        row('person.age', label('age', o.ageRange)),
        row('person.height', label('height', o.height)),
        row('person.build', label('build', o.build)),
        row('person.hair', o.hair),
        row('person.skin', o.skin),
        row('person.accent', o.accent),
        row('person.nameGiven', o.nameGiven),
        row('person.clothing', o.clothing),
        row('person.marks', o.marks),
      ],
    },
    {
      step: 'ids',
      title: 'ids.heading',
      rows: [row('ids.phones', list(ids.phones)), row('ids.emails', list(ids.emails)), row('ids.usernames', list(ids.usernames))],
    },
    {
      step: 'vehicle',
      title: 'vehicle.heading',
      rows: [
        row('vehicle.make', v.make),
        row('vehicle.model', v.model),
        row('vehicle.colour', v.colour),
        row('vehicle.plate', v.plate ? (v.plateIsPartial ? `${v.plate} (${t('vehicle.partial')})` : v.plate) : undefined),
      ],
    },
    { step: 'account', title: 'account.heading', rows: [row('account.label', report.account)] },
    { step: 'photos', title: 'photos.heading', rows: [row('photos.heading', photos > 0 && t('summary.photos', { n: photos }))] },
    {
      step: 'publish',
      title: 'consent.heading',
      rows: [
        row('consent.publish.q', label('answer', c.publishWarning)),
        row('consent.police.q', label('answer', c.shareWithPolice)),
        row('consent.policeSupport.q', label('answer', c.wantPoliceSupport)),
        row('consent.caseworker.q', label('answer', c.wantCaseworker)),
      ],
    },
  ];

  return (
    <div class="summary">
      {sections.map((s) => {
        const home = path === 'quick' ? QUICK_HOME[s.step] : s.step;
        if (!home) return null;
        const rows = s.rows.filter((r): r is Row => r !== undefined);
        return (
          <section class="summary-section" key={s.step} aria-labelledby={`sum-${s.step}`}>
            <div class="summary-head">
              <h2 id={`sum-${s.step}`}>{t(s.title)}</h2>
              <button type="button" class="secondary small" onClick={() => onEdit(home)} aria-describedby={`sum-${s.step}`}>
                {t('nav.edit')}
              </button>
            </div>
            {rows.length === 0 ? (
              <p class="hint">{t('common.none')}</p>
            ) : (
              <dl>
                {rows.map(([k, val]) => (
                  <div class="summary-row" key={k}>
                    <dt>{k}</dt>
                    <dd class="pre">{val}</dd>
                  </div>
                ))}
              </dl>
            )}
          </section>
        );
      })}
    </div>
  );
}
