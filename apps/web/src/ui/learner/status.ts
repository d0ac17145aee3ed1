import { html } from 'lit';
import { ApiError, api, OfflineError } from '../../api';
import { register, t } from '../../i18n';
import type { Enrollment, Page } from './types';

register(
  {
    'learner.level.CB1': 'Cơ bản 1',
    'learner.level.CB2': 'Cơ bản 2',
    'learner.level.TC1': 'Trung cấp 1',
    'learner.level.TC2': 'Trung cấp 2',
    'learner.level.NC1': 'Nâng cao 1',
    'learner.level.NC2': 'Nâng cao 2',
    'learner.level.CS1': 'Chuyên sâu 1',
    'learner.level.CS2': 'Chuyên sâu 2',
    'learner.minutes': '{n} phút',
    'learner.lessons': '{n} bài học',
  },
  {
    'learner.level.CB1': 'Basic 1',
    'learner.level.CB2': 'Basic 2',
    'learner.level.TC1': 'Intermediate 1',
    'learner.level.TC2': 'Intermediate 2',
    'learner.level.NC1': 'Advanced 1',
    'learner.level.NC2': 'Advanced 2',
    'learner.level.CS1': 'Specialised 1',
    'learner.level.CS2': 'Specialised 2',
    'learner.minutes': '{n} min',
    'learner.lessons': '{n} lessons',
  },
);

/** True when the request never reached the server (or the service worker answered "offline"). */
export function isOffline(err: unknown): boolean {
  return err instanceof OfflineError || (err instanceof ApiError && err.code === 'OFFLINE');
}

export function errorText(err: unknown): string {
  if (isOffline(err)) return t('common.offlineError');
  if (err instanceof ApiError) return err.message || t('common.error');
  return t('common.error');
}

export const loadingView = () => html`<p role="status" class="muted">${t('common.loading')}</p>`;

export const errorView = (err: unknown, retry: () => void) =>
  html`<div role="alert" class="card">
    <p class="error">${errorText(err)}</p>
    <button type="button" @click=${retry}>${t('common.retry')}</button>
  </div>`;

/** The learner's enrollment in a course, or null when not enrolled. */
export async function enrollmentFor(slug: string): Promise<Enrollment | null> {
  let cursor: string | null = null;
  do {
    const qs: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: Page<Enrollment> = await api.get<Page<Enrollment>>(`/v1/me/enrollments?limit=100${qs}`);
    const hit = page.items.find((e) => e.courseSlug === slug);
    if (hit) return hit;
    cursor = page.nextCursor;
  } while (cursor);
  return null;
}

/** A same-origin path to return to after signing in (never another site). */
export function safeNext(raw: string | null): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw;
}

/** Saves a Blob under a file name (object URL + download attribute). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
