/**
 * The shape of message values shared by every catalogue kind. A value is a string, or for a
 * count a plural object keyed by CLDR plural category (Intl.PluralRules); `other` is always
 * given and the count placeholder is `{n}`.
 */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
export type Plural = { readonly [C in Exclude<PluralCategory, 'other'>]?: string } & { readonly other: string };
export type Message = string | Plural;

/**
 * A catalogue type from the English object: string keys take a string, plural keys a plural
 * object. Plural keys are typed `Message` rather than `Plural` only so that server code casting
 * a whole catalogue to `Record<string, string>` (server/routes/basic-form.ts) still compiles;
 * tests/i18n/catalogues.test.ts requires a plural object there.
 */
export type CatalogueOf<T> = { readonly [K in keyof T]: T[K] extends string ? string : Message };
/** The keys of `T` whose English value is a plural object. */
export type PluralKeyOf<T> = { [K in keyof T]: T[K] extends string ? never : K }[keyof T];
/** The keys of `T` whose English value is a plain string. */
export type TextKeyOf<T> = Exclude<keyof T, PluralKeyOf<T>>;
