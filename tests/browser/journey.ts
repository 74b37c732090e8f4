/** The reporter's journeys, driven through a real browser against a real server. */
import { expect } from 'vitest';
import { bytes, decrypt } from '../../crypto/index.js';
import { unpad } from '../../crypto/padding.js';
import { decodeReport, type Report } from '../../crypto/report.js';
import { jpegMetadataSegments } from '../../client/lib/jpeg.js';
import type { Page } from './helpers/browsers.js';
import { EXIF_MARKERS, GPS_LATITUDE, containsBytes, jpegSize, withExif } from './helpers/jpeg-exif.js';
import { deriveMailbox } from '../../crypto/receipt.js';
import { fetchReports, replyTo, type Stack } from './helpers/stack.js';

/** Long enough for scrypt, ML-KEM and Ed25519 with the JIT off. */
export const SLOW = 120_000;

const next = (page: Page) => page.click('form button[type="submit"]');

/** What the test types, and the report the coordinator must get back. */
export const TYPED = {
  incidentOther: 'Took my phone – and keys',
  date: '2024-05-01',
  area: 'Leeds city centre',
  contactDetail: 'AdultWork',
  hair: 'Short, grey',
  skin: 'White',
  accent: 'Scottish',
  nameGiven: 'Dave <b>bold</b>',
  clothing: 'Blue jacket\nwhite trainers',
  marks: 'Scar on left hand',
  phone: '+44 7700 900123',
  email: 'dave@example.org',
  username: 'dave_x on AdultWork',
  make: 'Ford',
  model: 'Focus',
  colour: 'Silver',
  plate: 'AB12',
  account: 'He said he would pay later.\n\nThen he hit me. Ștefan saw it 🚗 & "ran".',
};

export function expectedReport(lang: 'en' | 'ro'): Omit<Report, 'replyRecipient'> {
  const t = TYPED;
  return {
    schemaVersion: 1,
    language: lang,
    incidentTypes: ['violence', 'robbery', 'other'],
    incidentOther: t.incidentOther,
    date: t.date,
    datePrecision: 'day',
    timeBand: 'evening',
    area: t.area,
    setting: 'car',
    contactMethod: 'website-app',
    contactDetail: t.contactDetail,
    account: t.account,
    offender: {
      count: 'one',
      gender: 'man',
      ageRange: '35-44',
      height: 'tall',
      build: 'stocky',
      hair: t.hair,
      skin: t.skin,
      accent: t.accent,
      nameGiven: t.nameGiven,
      clothing: t.clothing,
      marks: t.marks,
    },
    vehicle: { make: t.make, model: t.model, colour: t.colour, plate: t.plate, plateIsPartial: true },
    identifiers: { phones: [t.phone], emails: [t.email], usernames: [t.username] },
    consent: { publishWarning: 'yes', shareWithPolice: 'no', wantPoliceSupport: 'unsure', wantCaseworker: 'yes' },
  };
}

/** A camera-sized JPEG drawn and encoded by the browser itself, then given EXIF with GPS as a phone would. */
export async function cameraPhoto(page: Page): Promise<Uint8Array> {
  const b64 = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 2000;
    c.height = 1500;
    const g = c.getContext('2d')!;
    for (let y = 0; y < 1500; y += 100) {
      for (let x = 0; x < 2000; x += 100) {
        g.fillStyle = `rgb(${(x / 8) | 0}, ${(y / 6) | 0}, ${((x + y) / 14) | 0})`;
        g.fillRect(x, y, 100, 100);
      }
    }
    const blob: Blob = await new Promise((ok) => c.toBlob((b) => ok(b!), 'image/jpeg', 0.9));
    const u = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const photo = withExif(new Uint8Array(Buffer.from(b64, 'base64')));
  // The test photo really carries what must disappear.
  expect(jpegMetadataSegments(photo)).toContain('APP1:Exif');
  return photo;
}

/** Fill in the whole wizard (in the page's current language), stopping at the summary. */
export async function fillWizard(page: Page, photo: Uint8Array | Uint8Array[] | undefined): Promise<void> {
  const photos = photo === undefined ? [] : Array.isArray(photo) ? photo : [photo];
  const t = TYPED;
  await page.waitFor('#step-heading');
  // "Who is reporting" comes first, on the intro; then the full path.
  await page.click('input[name="behalf"][value="self"]');
  await page.click('#start-full');
  await page.waitFor('input[name="incidentTypes"]');
  await page.click('input[name="incidentTypes"][value="robbery"]');
  await page.click('input[name="incidentTypes"][value="violence"]');
  await page.click('input[name="incidentTypes"][value="other"]');
  await page.fill('input[name="incidentOther"]', t.incidentOther);
  await next(page);
  await page.waitFor('input[name="when"]');
  await page.click('input[name="when"][value="exact"]');
  await page.waitFor('input[name="date"]');
  await page.fill('input[name="date"]', t.date);
  await page.click('input[name="timeBand"][value="evening"]');
  await next(page);
  await page.waitFor('input[name="area"]');
  await page.fill('input[name="area"]', t.area);
  await page.click('input[name="setting"][value="car"]');
  await next(page);
  await page.waitFor('input[name="contactMethod"]');
  await page.click('input[name="contactMethod"][value="website-app"]');
  await page.fill('input[name="contactDetail"]', t.contactDetail);
  await next(page);
  await page.waitFor('input[name="count"]');
  await page.click('input[name="count"][value="one"]');
  await page.click('input[name="gender"][value="man"]');
  await page.click('input[name="ageRange"][value="35-44"]');
  await page.click('input[name="height"][value="tall"]');
  await page.click('input[name="build"][value="stocky"]');
  for (const k of ['hair', 'skin', 'accent', 'nameGiven'] as const) await page.fill(`input[name="${k}"]`, t[k]);
  await page.fill('textarea[name="clothing"]', t.clothing);
  await page.fill('textarea[name="marks"]', t.marks);
  await next(page);
  await page.waitFor('input[name="phone-0"]');
  await page.fill('input[name="phone-0"]', t.phone);
  await page.fill('input[name="email-0"]', t.email);
  await page.fill('input[name="username-0"]', t.username);
  await next(page);
  await page.waitFor('input[name="make"]');
  for (const k of ['make', 'model', 'colour', 'plate'] as const) await page.fill(`input[name="${k}"]`, t[k]);
  await page.click('input[name="plateIsPartial"]');
  await next(page);
  await page.waitFor('textarea[name="account"]');
  await page.fill('textarea[name="account"]', t.account);
  await next(page);
  await page.waitFor('input[type="file"]');
  for (const [i, p] of photos.entries()) {
    await page.upload('input[type="file"]', `IMG_000${i + 1}.jpg`, p);
    // Wait until this photo is cleaned and shown (the page's CSP forbids string predicates).
    const shown = (n: number) =>
      document.querySelectorAll('.photos canvas').length === n && !(document.querySelector('input[type="file"]') as HTMLInputElement).disabled;
    for (let waited = 0; !(await page.evaluate(shown, i + 1)); waited += 100) {
      if (waited > SLOW) throw new Error(`photo ${i + 1} was not shown`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  await next(page);
  for (const [name, value] of [
    ['publishWarning', 'yes'],
    ['shareWithPolice', 'no'],
    ['wantPoliceSupport', 'unsure'],
    ['wantCaseworker', 'yes'],
  ] as const) {
    await page.waitFor(`input[name="${name}"]`);
    await page.click(`input[name="${name}"][value="${value}"]`);
    await next(page);
  }
  await page.waitFor('.summary');
  // Fifteen steps later the address is still just the front page.
  expect(await page.evaluate(() => location.pathname + location.search + location.hash)).toBe('/');
}

/** Send from the summary and return the receipt code shown. */
export async function sendAndGetCode(page: Page): Promise<string> {
  await next(page);
  await page.waitFor('ol.code', SLOW);
  const code = await page.evaluate(() => document.querySelector('ol.code')!.getAttribute('data-code')!);
  const shown = await page.evaluate(() => [...document.querySelectorAll('ol.code:not(.digits) li')].map((li) => li.textContent).join(' '));
  expect(shown).toBe(code);
  expect(code.split(' ')).toHaveLength(10);
  return code;
}

/** The coordinator's view: decrypt and check the report and its photo against what was typed. */
export async function checkStoredReport(stack: Stack, code: string, lang: 'en' | 'ro', withPhoto: boolean): Promise<{ id: string; replyRecipient: string }> {
  // The report is the one whose reply recipient belongs to the receipt code shown.
  const replyRecipient = (await deriveMailbox(code)).replyIdentity.recipient().toString();
  const matching = (await fetchReports(stack)).filter((s) => decodeReport(s.plaintext).replyRecipient === replyRecipient);
  expect(matching).toHaveLength(1);
  const stored = matching[0]!;
  const { replyRecipient: _, ...rest } = decodeReport(stored.plaintext);
  expect(rest).toEqual(expectedReport(lang));
  expect(stored.attachments).toHaveLength(withPhoto ? 1 : 0);
  if (withPhoto) {
    const jpeg = stored.attachments[0]!;
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(jpegMetadataSegments(jpeg)).toEqual([]);
    for (const m of [...EXIF_MARKERS, 'Exif', 'GPS']) expect(containsBytes(jpeg, Buffer.from(m, 'latin1'))).toBe(false);
    // The GPS latitude rationals (51/1, 30/1) are nowhere in the file.
    const lat = Buffer.alloc(16);
    lat.writeUInt32LE(GPS_LATITUDE[0]![0], 0);
    lat.writeUInt32LE(GPS_LATITUDE[0]![1], 4);
    lat.writeUInt32LE(GPS_LATITUDE[1]![0], 8);
    lat.writeUInt32LE(GPS_LATITUDE[1]![1], 12);
    expect(containsBytes(jpeg, lat)).toBe(false);
    // Resized to the 1600 px maximum, aspect kept.
    expect(jpegSize(jpeg)).toEqual({ width: 1600, height: 1200 });
  }
  return { id: stored.id, replyRecipient };
}

/** Reply as a coordinator, read it on the follow-up page, send more details and decrypt them as the coordinator. */
export async function followUpRoundTrip(page: Page, stack: Stack, code: string, reportId: string, replyRecipient: string): Promise<void> {
  const reply = 'Thank you. Are you safe?\n<script>alert(1)</script> <b>not bold</b>';
  await replyTo(stack, reportId, replyRecipient, reply);

  await page.goto(`${stack.url}/follow-up`);
  await page.waitFor('input[name="word-1"]');
  // Pasted into the first box the way a person might have written it: capitals and dashes.
  await page.fill('input[name="word-1"]', code.toUpperCase().replace(/ /g, ' - '));
  expect(await page.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('.code-boxes input')].map((i) => i.value.toLowerCase()).join(' '))).toBe(code);
  await page.click('form button[type="submit"]');
  await page.waitFor('.message-text', SLOW);
  expect(await page.text('.message-text')).toBe(reply);
  // Shown as text: no element was made from the reply's markup.
  expect(await page.evaluate(() => document.querySelectorAll('.messages script, .messages b').length)).toBe(0);

  const details = 'More details: he drives a silver Ford.\nIt was near the station.';
  await page.fill('textarea[name="message"]', details);
  await page.click('form.compose button[type="submit"]');
  await page.waitFor('form.compose .ok', SLOW);
  await page.waitFor('li.message.reporter', SLOW);

  const res = await stack.coordinatorFetch('GET', `/api/coordinator/reports/${reportId}`);
  const r = (await res.json()) as { messages: { from: string; body: string }[] };
  const mine = r.messages.filter((m) => m.from === 'reporter');
  expect(mine).toHaveLength(1);
  const plain = await decrypt([stack.coordinator.identity], bytes.fromBase64Padded(mine[0]!.body));
  expect(bytes.fromUtf8(unpad(plain))).toBe(details);
}

/** Nothing stored on the device, and no request to any origin but the site's own. */
export async function checkNoTraces(page: Page, stack: Stack): Promise<void> {
  const origin = new URL(stack.url).origin;
  const elsewhere = page.requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
  expect(elsewhere).toEqual([]);
  expect(page.requests.length).toBeGreaterThan(3);
  const state = await page.evaluate(async () => {
    const w = window as unknown as { __storageWrites: string[]; __cspViolations: string[] };
    const idb = typeof indexedDB.databases === 'function' ? (await indexedDB.databases()).map((d) => d.name) : [];
    const cacheKeys = typeof caches !== 'undefined' ? await caches.keys() : [];
    const workers = navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0;
    return {
      writes: w.__storageWrites,
      csp: w.__cspViolations,
      cookie: document.cookie,
      local: localStorage.length,
      session: sessionStorage.length,
      idb,
      cacheKeys,
      workers,
      url: location.href,
    };
  });
  expect(state).toEqual({
    writes: [],
    csp: [],
    cookie: '',
    local: 0,
    session: 0,
    idb: [],
    cacheKeys: [],
    workers: 0,
    url: state.url,
  });
  // The address bar never says what the person is doing.
  expect(new URL(state.url).hash).toBe('');
  expect(await page.cookies()).toEqual([]);
  expect(page.errors).toEqual([]);
}
