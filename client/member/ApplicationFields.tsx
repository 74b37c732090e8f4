/** The fields of a member application (join) and of the settings that replace it: all encrypted to the coordinators. */
import { MEMBER_TYPES, type MemberApplication, type Profile } from '../../crypto/index.js';
import { MultiChoice, SingleChoice, TextField } from '../components/fields.js';
import { useMemberI18n, type MemberKey } from '../i18n/member/index.js';


export interface ApplicationForm {
  type: string;
  workingName: string;
  regions: string[];
  email: string;
  mobile: string;
  paused: boolean;
}

export const emptyForm = (): ApplicationForm => ({ type: '', workingName: '', regions: [], email: '', mobile: '', paused: false });

/** Each field's problem, as a member-catalogue key (translated when shown, so a language switch retranslates it). */
export type FormErrors = Partial<Record<keyof ApplicationForm | 'login' | 'passphrase', MemberKey>>;

/** Check the form; returns the application to encrypt, or the errors to show. */
export function toApplication(f: ApplicationForm): { application?: MemberApplication; errors: FormErrors } {
  const errors: FormErrors = {};
  if (!(MEMBER_TYPES as readonly string[]).includes(f.type)) errors.type = 'form.typeError';
  if (!f.workingName.trim()) errors.workingName = 'form.nameError';
  if (f.regions.length === 0) errors.regions = 'form.regionsError';
  const email = f.email.trim();
  const mobile = f.mobile.trim();
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = 'form.emailError';
  if (mobile && !/^\+?[0-9][0-9 ()-]{4,30}$/.test(mobile)) errors.mobile = 'form.mobileError';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    application: {
      schemaVersion: 1,
      type: f.type as MemberApplication['type'],
      workingName: f.workingName.trim(),
      regions: [...f.regions],
      ...(email ? { email } : {}),
      ...(mobile ? { mobile } : {}),
      ...(f.paused ? { paused: true } : {}),
    },
  };
}

export function ApplicationFields({ form, set, errors, profile }: { form: ApplicationForm; set(f: ApplicationForm): void; errors: FormErrors; profile: Profile }) {
  const { t } = useMemberI18n();
  const err = (k?: MemberKey) => (k ? t(k) : undefined);
  return (
    <>
      <SingleChoice
        legend={t('form.typeLegend')}
        name="type"
        options={MEMBER_TYPES.map((type) => ({ value: type, label: t(`memberType.${type}`) }))}
        value={form.type}
        error={err(errors.type)}
        onChange={(type) => set({ ...form, type })}
      />
      <TextField
        label={t('form.nameLabel')}
        name="workingName"
        hint={t('form.nameHint')}
        value={form.workingName}
        maxLength={80}
        error={err(errors.workingName)}
        onInput={(workingName) => set({ ...form, workingName })}
      />
      <MultiChoice
        legend={t('form.regionsLegend')}
        name="regions"
        options={profile.regions.map((r) => ({ value: r.id, label: r.name }))}
        value={form.regions}
        error={err(errors.regions)}
        onChange={(regions) => set({ ...form, regions })}
      />
      <fieldset>
        <legend>{t('form.alertsLegend')}</legend>
        <p class="hint">{t('form.alertsHint')}</p>
        <TextField label={t('form.emailLabel')} name="email" type="email" inputMode="email" value={form.email} maxLength={254} error={err(errors.email)} onInput={(email) => set({ ...form, email })} />
        <TextField label={t('form.mobileLabel')} name="mobile" type="tel" inputMode="tel" value={form.mobile} maxLength={32} error={err(errors.mobile)} onInput={(mobile) => set({ ...form, mobile })} />
      </fieldset>
    </>
  );
}
