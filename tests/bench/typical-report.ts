/**
 * A made-up "typical report" of about 3 KiB of JSON, the size a reporter's browser encrypts,
 * and its padding: crypto/padding.ts pad() once that module exists, else a local pad to 4 KiB.
 */
import { existsSync } from 'node:fs';
import { HybridIdentity, bytes } from '../../crypto/index.js';

export const TYPICAL_REPORT_BYTES = 3 * 1024;
const LOCAL_PAD_TO = 4096;

const SENTENCES = [
  'He contacted me through the advert and asked for an outcall to a flat near the station.',
  'When I arrived he refused to pay the agreed amount and blocked the door.',
  'He became aggressive when I said I wanted to leave and grabbed my arm.',
  'He said he knew where I worked and that he would find me again.',
  'I managed to get out after about twenty minutes and called a friend.',
  'He had a strong smell of aftershave and a scar on his left hand.',
  'He drove a dark grey hatchback and parked it around the corner.',
  'He used a different name on the phone than the one he gave at the door.',
];

/** JSON bytes of a plausible report with a reply recipient, padded with free text to about 3 KiB. */
export function typicalReportJson(): Uint8Array {
  const report = {
    v: 1,
    incident: { kinds: ['refused-payment', 'threats', 'physical-assault'], timeBand: 'evening', daysAgo: 'this-week' },
    area: 'city centre north',
    setting: 'outcall',
    person: {
      gender: 'man',
      ageBand: '35-44',
      build: 'heavy',
      height: 'tall',
      hair: 'short, dark, receding',
      identifiers: [
        { kind: 'phone', value: '07700 900123' },
        { kind: 'vehicle', value: 'grey hatchback, partial plate KX1' },
        { kind: 'name-used', value: 'Dave' },
      ],
    },
    description: '',
    consent: { publishWarning: true, shareWithPolice: 'anonymous', supportWithReport: false, caseworkerContact: true },
    replyRecipient: HybridIdentity.generate().recipient().toString(),
  };
  for (let i = 0; bytes.utf8(JSON.stringify(report)).length < TYPICAL_REPORT_BYTES; i++) {
    report.description += (report.description ? ' ' : '') + SENTENCES[i % SENTENCES.length];
  }
  return bytes.utf8(JSON.stringify(report));
}

/** Pads with crypto/padding.ts when present; says which in `how`. */
export async function padReport(json: Uint8Array): Promise<{ padded: Uint8Array; how: string }> {
  const url = new URL('../../crypto/padding.ts', import.meta.url);
  if (existsSync(url)) {
    try {
      const mod = (await import(url.href)) as { pad?: unknown };
      if (typeof mod.pad === 'function') {
        const padded = (mod.pad as (b: Uint8Array) => Uint8Array)(json);
        return { padded, how: 'crypto/padding.ts pad()' };
      }
      return { ...localPad(json), how: 'local 4 KiB pad (crypto/padding.ts has no pad())' };
    } catch (e) {
      return { ...localPad(json), how: `local 4 KiB pad (crypto/padding.ts failed to load: ${(e as Error).message})` };
    }
  }
  return { ...localPad(json), how: 'local 4 KiB pad (crypto/padding.ts does not exist yet)' };
}

/** 0x80 then zeros up to 4 KiB (ISO/IEC 7816-4 style), only as a stand-in for the real padding. */
function localPad(json: Uint8Array): { padded: Uint8Array } {
  if (json.length >= LOCAL_PAD_TO) throw new Error('report too large for the local pad');
  const padded = new Uint8Array(LOCAL_PAD_TO);
  padded.set(json);
  padded[json.length] = 0x80;
  return { padded };
}
