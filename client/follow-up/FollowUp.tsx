/**
 * Follow-up: the receipt code is turned into the mailbox keys on this device, replies are
 * fetched with a request signed by the mailbox key, decrypted here and shown as text. New
 * details are encrypted to the coordinators of the verified keyring before they leave.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Progress, TextArea } from '../components/fields.js';
import { useI18n } from '../i18n/index.js';
import { ApiError, request, serverNow } from '../lib/api.js';
import { RECEIPT_WORDS, bytes, decrypt, deriveMailbox, encrypt, signRequest, type Mailbox } from '../lib/crypto.js';
import { HelpPanel } from '../components/HelpPanel.js';
import { CodeEntry, checkBoxes } from './CodeEntry.js';
import { KeyringRefused, verifiedRecipients } from '../lib/keyring.js';
import { MAX_MESSAGE_LENGTH, decodeMessage, encodeMessage } from '../lib/messages.js';
import { freshStamp } from '../lib/pow.js';
import { onWipe } from '../lib/safety.js';

interface WireMessage {
  id: string;
  from: 'coordinator' | 'reporter';
  day: string;
  body: string;
}

interface Shown {
  id: string;
  from: 'coordinator' | 'reporter';
  day: string;
  text?: string;
  unreadable?: boolean;
}

/** A request signed with the mailbox key; retried once when the server says our clock is off. */
async function signedFetch(mailbox: Mailbox, method: 'GET' | 'POST', path: string, body?: Uint8Array, extra: Record<string, string> = {}): Promise<Response> {
  const payload = body ?? new Uint8Array(0);
  const attempt = () =>
    request(path, {
      method,
      headers: {
        ...signRequest('mailbox', { method, path, body: payload, timestamp: serverNow() }, mailbox.signingSeed),
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...extra,
      },
      ...(body ? { body: payload as Uint8Array<ArrayBuffer> } : {}),
    });
  try {
    return await attempt();
  } catch (e) {
    // The failed answer's Date header has corrected serverNow(); one more try.
    if (e instanceof ApiError && e.message === 'stale request') return attempt();
    // Signatures are deterministic and accepted once: the same request in the same second
    // is a replay to the server. Wait for the next second and sign again.
    if (e instanceof ApiError && e.message === 'replayed request') {
      await new Promise((r) => setTimeout(r, 1100));
      return attempt();
    }
    throw e;
  }
}

async function openMessages(mailbox: Mailbox): Promise<Shown[]> {
  const path = `/api/mailboxes/${encodeURIComponent(mailbox.mailboxId)}`;
  const data = (await (await signedFetch(mailbox, 'GET', path)).json()) as { messages?: unknown };
  const list = Array.isArray(data.messages) ? (data.messages as WireMessage[]) : [];
  const out: Shown[] = [];
  for (const m of list) {
    const day = typeof m.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(m.day) ? m.day : '';
    const id = String(m.id);
    if (m.from !== 'coordinator') {
      out.push({ id, from: 'reporter', day });
      continue;
    }
    try {
      const plain = await decrypt([mailbox.replyIdentity], bytes.fromBase64Padded(String(m.body)));
      out.push({ id, from: 'coordinator', day, text: decodeMessage(plain) });
      bytes.wipe(plain);
    } catch {
      out.push({ id, from: 'coordinator', day, unreadable: true });
    }
  }
  return out;
}

export function FollowUp() {
  const { t } = useI18n();
  const emptyWords = () => Array.from({ length: RECEIPT_WORDS }, () => '');
  const [words, setWords] = useState<string[]>(emptyWords);
  const [codeErrors, setCodeErrors] = useState<string[]>([]);
  const [badBoxes, setBadBoxes] = useState<number[]>([]);
  const [phase, setPhase] = useState<'enter' | 'deriving' | 'loading' | 'open'>('enter');
  const [fraction, setFraction] = useState(0);
  const [messages, setMessages] = useState<Shown[]>([]);
  const [loadError, setLoadError] = useState('');
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [sendNote, setSendNote] = useState<{ ok: boolean; text: string } | undefined>();
  const mailbox = useRef<Mailbox | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const mounted = useRef(false);

  const forget = () => {
    if (mailbox.current) bytes.wipe(mailbox.current.signingSeed);
    mailbox.current = undefined;
    setMessages([]);
    setDraft('');
    setWords(emptyWords());
  };
  useEffect(() => onWipe(forget), []);
  useLayoutEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    if (phase === 'open' || phase === 'enter') heading.current?.focus();
  }, [phase]);

  const reason = (e: unknown) =>
    e instanceof KeyringRefused
      ? t('error.keyring')
      : e instanceof ApiError && e.status === 404
        ? t('follow.notFound')
        : e instanceof ApiError && e.status !== 0
          ? t('error.server', { reason: e.message })
          : t('error.network');

  const load = async () => {
    if (!mailbox.current) return;
    setLoadError('');
    setPhase('loading');
    try {
      setMessages(await openMessages(mailbox.current));
      setWords(emptyWords());
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        // No such mailbox (a mistyped but well-formed code, or an expired one): back to the code, not to an empty conversation.
        bytes.wipe(mailbox.current.signingSeed);
        mailbox.current = undefined;
        setMessages([]);
        setCodeErrors([t('follow.notFoundEntry')]);
        setBadBoxes([]);
        setPhase('enter');
        setTimeout(() => document.getElementById('code-errors')?.focus(), 0);
        return;
      }
      setLoadError(t('follow.failed', { reason: reason(e) }));
    }
    setPhase('open');
  };

  const open = async (e: Event) => {
    e.preventDefault();
    const check = checkBoxes(words);
    if (!check.code) {
      // Every problem at once, each named by its position.
      const problems = [...check.missing.map((i) => ({ i, text: t('follow.missingWord', { n: i + 1 }) })), ...check.unknown.map((i) => ({ i, text: t('follow.unknownWord', { n: i + 1, word: words[i]!.trim().slice(0, 40) }) }))].sort((a, b) => a.i - b.i);
      const all = problems.map((p) => p.text);
      if (check.checksum) all.push(t('follow.checksum'));
      if (check.missing.length === RECEIPT_WORDS) all.splice(0, all.length, t('follow.invalidCode'));
      setCodeErrors(all);
      setBadBoxes(problems.map((p) => p.i));
      setTimeout(() => document.getElementById('code-errors')?.focus(), 0);
      return;
    }
    setCodeErrors([]);
    setBadBoxes([]);
    setPhase('deriving');
    setFraction(0);
    try {
      mailbox.current = await deriveMailbox(check.code, setFraction);
    } catch {
      setCodeErrors([t('follow.invalidCode')]);
      setPhase('enter');
      return;
    }
    await load();
  };

  const sendDetails = async (e: Event) => {
    e.preventDefault();
    const text = draft.trim();
    if (!text || !mailbox.current) return;
    setSending(true);
    setSendNote(undefined);
    try {
      const { recipients } = await verifiedRecipients();
      const sealed = await encrypt(recipients, encodeMessage(text));
      const body = bytes.utf8(JSON.stringify({ message: bytes.base64Padded(sealed) }));
      const path = `/api/mailboxes/${encodeURIComponent(mailbox.current.mailboxId)}`;
      try {
        await signedFetch(mailbox.current, 'POST', path, body);
      } catch (err) {
        // The report paid for the first few follow-ups; each further one needs proof of work.
        if (!(err instanceof ApiError && err.status === 403 && err.message === 'proof of work required')) throw err;
        await signedFetch(mailbox.current, 'POST', path, body, { 'tipline-pow': await freshStamp() });
      }
      setDraft('');
      setSendNote({ ok: true, text: t('follow.sent') });
      await load();
    } catch (err) {
      setSendNote({ ok: false, text: t('follow.sendFailed', { reason: reason(err) }) });
    } finally {
      setSending(false);
    }
  };

  if (phase === 'enter' || phase === 'deriving') {
    return (
      <section class="step" aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1} ref={heading}>
          {t('follow.heading')}
        </h1>
        <p class="lead">{t('follow.intro')}</p>
        <form autocomplete="off" noValidate onSubmit={open}>
          {codeErrors.length > 0 && (
            <div class="error-summary" id="code-errors" tabIndex={-1} role="alert">
              <ul>
                {codeErrors.map((e) => (
                  <li class="error" key={e}>
                    {e}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <CodeEntry words={words} setWords={setWords} disabled={phase === 'deriving'} errors={badBoxes} />
          {phase === 'deriving' ? (
            <div aria-live="polite">
              <Progress label={t('follow.deriving')} value={fraction} />
            </div>
          ) : (
            <div class="actions">
              <button type="submit" class="primary">
                {t('follow.open')}
              </button>
            </div>
          )}
        </form>
        <HelpPanel />
      </section>
    );
  }

  return (
    <section class="step" aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1} ref={heading}>
        {t('follow.messages')}
      </h1>
      {phase === 'loading' && <Progress label={t('follow.loading')} />}
      {loadError && (
        <p class="error" role="alert">
          {loadError}
        </p>
      )}
      {phase === 'open' && !loadError && messages.length === 0 && <p>{t('follow.none')}</p>}
      <ol class="messages">
        {messages.map((m) => (
          <li key={m.id} class={`message ${m.from}`}>
            <p class="meta">{m.from === 'coordinator' ? t('follow.fromCoordinator', { day: m.day }) : t('follow.fromYou', { day: m.day })}</p>
            {m.from === 'reporter' ? (
              <p class="hint">{t('follow.yourMessage')}</p>
            ) : m.unreadable ? (
              <p class="error">{t('follow.unreadable')}</p>
            ) : (
              <p class="pre message-text">{m.text}</p>
            )}
          </li>
        ))}
      </ol>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void load()} disabled={phase === 'loading'}>
          {t('follow.refresh')}
        </button>
      </div>
      <form autocomplete="off" noValidate onSubmit={sendDetails} class="compose">
        <h2>{t('follow.add')}</h2>
        <TextArea name="message" label={t('follow.addLabel')} hint={t('follow.addHint')} rows={6} value={draft} maxLength={MAX_MESSAGE_LENGTH} onInput={setDraft} />
        {sendNote && (
          <p class={sendNote.ok ? 'ok' : 'error'} role={sendNote.ok ? 'status' : 'alert'}>
            {sendNote.text}
          </p>
        )}
        <div class="actions">
          <button
            type="button"
            class="secondary"
            onClick={() => {
              forget();
              setPhase('enter');
            }}
          >
            {t('follow.close')}
          </button>
          <button type="submit" class="primary" disabled={sending || draft.trim() === ''}>
            {t('follow.send')}
          </button>
        </div>
      </form>
      <HelpPanel reachScheme={!!sendNote && !sendNote.ok && sendNote.text.includes(t('error.keyring'))} />
    </section>
  );
}
