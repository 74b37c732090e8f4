/** The photo step: pick photos, clean them on the device, show exactly what will be sent. */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { FieldError } from '../components/fields.js';
import { useI18n, type Lang } from '../i18n/index.js';
import { reportLanguage } from '../i18n/languages.js';
import { MAX_PHOTOS, PhotoError, cleanPhoto, drawPreview, type CleanPhoto } from '../lib/photo.js';

export interface PhotoItem {
  id: number;
  photo: CleanPhoto;
}

let nextId = 1;

/** A file size as `lang` writes it ("1.2 MB", "1,2 МБ"). */
function size(lang: Lang, bytes: number): string {
  const mb = bytes >= 1024 * 1024;
  const value = mb ? bytes / (1024 * 1024) : Math.max(1, Math.round(bytes / 1024));
  return new Intl.NumberFormat(reportLanguage(lang), { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', maximumFractionDigits: mb ? 1 : 0 }).format(value);
}

function Preview({ item, n, onRemove }: { item: PhotoItem; n: number; onRemove(): void }) {
  const { t, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) void drawPreview(item.photo, canvas.current).catch(() => {});
  }, [item]);
  const label = t('photos.cleaned', { n, size: size(lang, item.photo.bytes.length) });
  return (
    <li class="photo">
      <figure>
        <canvas ref={canvas} role="img" aria-label={label} />
        <figcaption>{label}</figcaption>
      </figure>
      <button type="button" class="secondary small" onClick={onRemove}>
        {t('photos.remove', { n })}
      </button>
    </li>
  );
}

export function PhotosStep({ photos, setPhotos }: { photos: PhotoItem[]; setPhotos(f: (p: PhotoItem[]) => PhotoItem[]): void }) {
  const { t } = useI18n();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const add = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    // Let go of the originals (with their metadata) as soon as they are read.
    input.value = '';
    setError('');
    if (files.length === 0) return;
    setBusy(true);
    let count = photos.length;
    try {
      for (const file of files) {
        if (count >= MAX_PHOTOS) {
          setError(t('photos.tooMany', { n: MAX_PHOTOS }));
          break;
        }
        try {
          const photo = await cleanPhoto(file);
          count++;
          setPhotos((p) => [...p, { id: nextId++, photo }]);
        } catch (e) {
          setError(e instanceof PhotoError && e.kind === 'blocked' ? t('photos.blocked') : t('photos.notImage'));
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p class="lead">{t('photos.intro')}</p>
      {error && <FieldError id={`${id}-err`}>{error}</FieldError>}
      <div class="file-pick">
        <label for={id} class="button secondary">
          {t('photos.add')}
        </label>
        <input
          id={id}
          class="visually-hidden"
          type="file"
          autocomplete="off"
          accept="image/*"
          multiple
          disabled={busy || photos.length >= MAX_PHOTOS}
          aria-describedby={error ? `${id}-err` : undefined}
          onChange={(e) => void add(e.currentTarget)}
        />
      </div>
      {busy && (
        <p role="status" class="hint">
          {t('photos.cleaning')}
        </p>
      )}
      {photos.length === 0 ? (
        <p class="hint">{t('photos.none')}</p>
      ) : (
        <ul class="photos">
          {photos.map((p, i) => (
            <Preview key={p.id} item={p} n={i + 1} onRemove={() => setPhotos((all) => all.filter((x) => x.id !== p.id))} />
          ))}
        </ul>
      )}
    </>
  );
}
