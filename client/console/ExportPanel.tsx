/**
 * "Export for police" (issue 12): the selected reports' preview (what is included, what is
 * left out and why), the choices, and the download. The console process builds, seals and
 * records each export as a case note; the page receives only the sealed file (or the plain
 * one when the coordinator ticked that choice).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, api } from './api.js';
import { ExportForm, type Region } from './ExportForm.js';
import { ExportPreview } from './ExportPreview.js';
import { t } from './i18n.js';
import { exportBody, filenameOf, initialChoices, problems, selectionBody, type ExportChoices, type Preview } from './export-model.js';

async function download(c: ExportChoices): Promise<string> {
  let res: Response;
  try {
    res = await fetch('/api/export', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(exportBody(c)) });
  } catch {
    throw new ApiFailure(t('api.notAnswering'));
  }
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { error?: unknown };
    throw new ApiFailure(typeof e.error === 'string' ? e.error : t('api.error', { status: res.status }));
  }
  const name = filenameOf(res.headers.get('content-disposition'));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

export function ExportPanel({ ids }: { ids: string[] }) {
  const [c, setC] = useState<ExportChoices>(initialChoices(ids));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [regions, setRegions] = useState<Region[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');

  useEffect(() => setC(initialChoices(ids)), [ids.join(',')]);
  useEffect(() => {
    api<{ regions: Region[] }>('GET', '/profile')
      .then((p) => setRegions(p.regions))
      .catch(() => setRegions([]));
  }, []);
  const selection = JSON.stringify(selectionBody(c));
  useEffect(() => {
    setPreview(null);
    setError('');
    api<Preview>('POST', '/export/preview', JSON.parse(selection))
      .then(setPreview)
      .catch((e: Error) => setError(e.message));
  }, [selection]);

  const blockers = problems(c, preview);
  const go = async () => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      const name = await download(c);
      setDone(t('export.saved', { name }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel export-panel">
      <h2>{t('common.exportForPolice')}</h2>
      <p class="muted">{t('export.intro')}</p>
      {preview ? <ExportPreview preview={preview} /> : !error && <p>{t('export.preparing')}</p>}
      <ExportForm c={c} set={setC} preview={preview} regions={regions} />
      {blockers.length > 0 && (
        <ul class="problems">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      <p class="buttons">
        <button type="button" name="export" disabled={busy || blockers.length > 0} onClick={() => void go()}>
          {busy ? t('export.exporting') : t('export.download')}
        </button>
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {done && <p class="done" role="status">{done}</p>}
    </section>
  );
}
