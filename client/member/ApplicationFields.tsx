/** The fields of a member application (join) and of the settings that replace it: all encrypted to the coordinators. */
import { MEMBER_TYPES, type MemberApplication, type Profile } from '../../crypto/index.js';
import { MultiChoice, SingleChoice, TextField } from '../components/fields.js';
import { MEMBER_TYPE_LABELS, memberText } from './text.js';

const M = memberText().form;

export interface ApplicationForm {
  type: string;
  workingName: string;
  regions: string[];
  email: string;
  mobile: string;
  paused: boolean;
}

export const emptyForm = (): ApplicationForm => ({ type: '', workingName: '', regions: [], email: '', mobile: '', paused: false });

export type FormErrors = Partial<Record<keyof ApplicationForm | 'login' | 'passphrase', string>>;

/** Check the form; returns the application to encrypt, or the errors to show. */
export function toApplication(f: ApplicationForm): { application?: MemberApplication; errors: FormErrors } {
  const errors: FormErrors = {};
  if (!(MEMBER_TYPES as readonly string[]).includes(f.type)) errors.type = M.typeError;
  if (!f.workingName.trim()) errors.workingName = M.nameError;
  if (f.regions.length === 0) errors.regions = M.regionsError;
  const email = f.email.trim();
  const mobile = f.mobile.trim();
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = M.emailError;
  if (mobile && !/^\+?[0-9][0-9 ()-]{4,30}$/.test(mobile)) errors.mobile = M.mobileError;
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
  return (
    <>
      <SingleChoice
        legend={M.typeLegend}
        name="type"
        options={MEMBER_TYPES.map((t) => ({ value: t, label: MEMBER_TYPE_LABELS[t] }))}
        value={form.type}
        error={errors.type}
        onChange={(type) => set({ ...form, type })}
      />
      <TextField
        label={M.nameLabel}
        name="workingName"
        hint={M.nameHint}
        value={form.workingName}
        maxLength={80}
        error={errors.workingName}
        onInput={(workingName) => set({ ...form, workingName })}
      />
      <MultiChoice
        legend={M.regionsLegend}
        name="regions"
        options={profile.regions.map((r) => ({ value: r.id, label: r.name }))}
        value={form.regions}
        error={errors.regions}
        onChange={(regions) => set({ ...form, regions })}
      />
      <fieldset>
        <legend>{M.alertsLegend}</legend>
        <p class="hint">{M.alertsHint}</p>
        <TextField label={M.emailLabel} name="email" type="email" inputMode="email" value={form.email} maxLength={254} error={errors.email} onInput={(email) => set({ ...form, email })} />
        <TextField label={M.mobileLabel} name="mobile" type="tel" inputMode="tel" value={form.mobile} maxLength={32} error={errors.mobile} onInput={(mobile) => set({ ...form, mobile })} />
      </fieldset>
    </>
  );
}
