/** The fields of a member application (join) and of the settings that replace it: all encrypted to the coordinators. */
import { MEMBER_TYPES, type MemberApplication, type Profile } from '../../crypto/index.js';
import { MultiChoice, SingleChoice, TextField } from '../components/fields.js';
import { MEMBER_TYPE_LABELS } from './text.js';

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
  if (!(MEMBER_TYPES as readonly string[]).includes(f.type)) errors.type = 'Choose one.';
  if (!f.workingName.trim()) errors.workingName = 'Enter a working name (it need not be your real name).';
  if (f.regions.length === 0) errors.regions = 'Choose at least one region.';
  const email = f.email.trim();
  const mobile = f.mobile.trim();
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = 'This does not look like an email address.';
  if (mobile && !/^\+?[0-9][0-9 ()-]{4,30}$/.test(mobile)) errors.mobile = 'Use digits, spaces and an optional + only.';
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
        legend="You are"
        name="type"
        options={MEMBER_TYPES.map((t) => ({ value: t, label: MEMBER_TYPE_LABELS[t] }))}
        value={form.type}
        error={errors.type}
        onChange={(type) => set({ ...form, type })}
      />
      <TextField
        label="Working name"
        name="workingName"
        hint="How coordinators know you. It need not be your real name."
        value={form.workingName}
        maxLength={80}
        error={errors.workingName}
        onInput={(workingName) => set({ ...form, workingName })}
      />
      <MultiChoice
        legend="Regions you want warnings for"
        name="regions"
        options={profile.regions.map((r) => ({ value: r.id, label: r.name }))}
        value={form.regions}
        error={errors.regions}
        onChange={(regions) => set({ ...form, regions })}
      />
      <fieldset>
        <legend>Alerts (optional)</legend>
        <p class="hint">
          We can tell you when a new warning is published. The alert says only “a new safety warning for your area; log in to read it”. Leave both empty for no alerts.
        </p>
        <TextField label="Email for alerts" name="email" type="email" inputMode="email" value={form.email} maxLength={254} error={errors.email} onInput={(email) => set({ ...form, email })} />
        <TextField label="Mobile number for text alerts" name="mobile" type="tel" inputMode="tel" value={form.mobile} maxLength={32} error={errors.mobile} onInput={(mobile) => set({ ...form, mobile })} />
      </fieldset>
    </>
  );
}
