/**
 * Vietnamese is the source language; English is the translation. Every string a person reads goes
 * through `t()`; a missing English key falls back to Vietnamese, never to the key. Dates are shown
 * dd/MM/yyyy and numbers 1.234,5 (vi-VN), in Asia/Ho_Chi_Minh.
 */
export type Lang = 'vi' | 'en';
type Params = Record<string, string | number>;
type Messages = Record<string, string>;

const catalogs: Record<Lang, Messages> = { vi: {}, en: {} };
const listeners = new Set<() => void>();
let current: Lang = initialLang();

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem('hocso.lang');
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // storage blocked: Vietnamese
  }
  return 'vi';
}

/** Adds messages (each page module registers its own, so the catalogue page ships only its text). */
export function register(vi: Messages, en: Messages): void {
  Object.assign(catalogs.vi, vi);
  Object.assign(catalogs.en, en);
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem('hocso.lang', next);
  } catch {
    // not remembered
  }
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

/** Re-render on language change; returns the unsubscribe. */
export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function t(key: string, params?: Params): string {
  const text = catalogs[current][key] ?? catalogs.vi[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? '')) : text;
}

/** Text the API sends in both languages (or a plain string). */
export function pick(text: { vi?: string; en?: string } | string | null | undefined): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[current] || text.vi || text.en || '';
}

const TZ = 'Asia/Ho_Chi_Minh';

/** dd/MM/yyyy of an ISO instant or a YYYY-MM-DD local date. */
export function fmtDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return `${value.slice(8, 10)}/${value.slice(5, 7)}/${value.slice(0, 4)}`;
  }
  const d = typeof value === 'string' ? new Date(value) : value;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' })
    .formatToParts(d)
    .reduce<Record<string, string>>((acc, p) => {
      acc[p.type] = p.value;
      return acc;
    }, {});
  return `${parts.day}/${parts.month}/${parts.year}`;
}

/** dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh. */
export function fmtDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
  return `${fmtDate(d)} ${time}`;
}

/** 1.234,5 — the Vietnamese way, whatever the interface language (CONTEXT.md §6). */
export function fmtNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(value);
}

register(
  {
    'app.name': 'Học Số',
    'app.tagline': 'Kỹ năng số cho mọi người',
    'nav.catalogue': 'Khóa học',
    'nav.myCourses': 'Khóa học của tôi',
    'nav.certificates': 'Chứng nhận',
    'nav.account': 'Tài khoản',
    'nav.trainer': 'Giảng viên',
    'nav.enterprise': 'Doanh nghiệp',
    'nav.admin': 'Chỉ tiêu',
    'nav.people': 'Người dùng',
    'nav.login': 'Đăng nhập',
    'nav.logout': 'Đăng xuất',
    'nav.menu': 'Điều hướng chính',
    'nav.skip': 'Bỏ qua, đến nội dung chính',
    'nav.shortcuts': 'Lối tắt',
    'lang.switch': 'English',
    'lang.switchLabel': 'Switch to English',
    'sync.online': 'Đã đồng bộ',
    'sync.offline': 'Ngoại tuyến — tiến độ được lưu trên máy',
    'sync.pending': 'Chờ đồng bộ: {n}',
    'sync.syncing': 'Đang đồng bộ…',
    'common.loading': 'Đang tải…',
    'common.error': 'Đã có lỗi. Vui lòng thử lại.',
    'common.offlineError': 'Không có kết nối mạng. Vui lòng thử lại khi có mạng.',
    'common.notFound': 'Không tìm thấy trang này.',
    'common.retry': 'Thử lại',
    'common.back': 'Quay lại',
    'common.signInRequired': 'Vui lòng đăng nhập để tiếp tục.',
    'common.forbidden': 'Bạn không có quyền xem trang này.',
    'footer.text': 'Học Số — nền tảng học kỹ năng số và AI của tỉnh Thái Nguyên. Mã nguồn mở.',
  },
  {
    'app.name': 'Học Số',
    'app.tagline': 'Digital skills for everyone',
    'nav.catalogue': 'Courses',
    'nav.myCourses': 'My courses',
    'nav.certificates': 'Certificates',
    'nav.account': 'Account',
    'nav.trainer': 'Trainer',
    'nav.enterprise': 'Enterprise',
    'nav.admin': 'KPIs',
    'nav.people': 'People',
    'nav.login': 'Sign in',
    'nav.logout': 'Sign out',
    'nav.menu': 'Main navigation',
    'nav.skip': 'Skip to main content',
    'nav.shortcuts': 'Shortcuts',
    'lang.switch': 'Tiếng Việt',
    'lang.switchLabel': 'Chuyển sang tiếng Việt',
    'sync.online': 'Synced',
    'sync.offline': 'Offline — progress is kept on this device',
    'sync.pending': 'Waiting to sync: {n}',
    'sync.syncing': 'Syncing…',
    'common.loading': 'Loading…',
    'common.error': 'Something went wrong. Please try again.',
    'common.offlineError': 'No connection. Please try again when you are online.',
    'common.notFound': 'Page not found.',
    'common.retry': 'Try again',
    'common.back': 'Back',
    'common.signInRequired': 'Please sign in to continue.',
    'common.forbidden': 'You may not view this page.',
    'footer.text': 'Học Số — the digital-skills and AI learning platform of Thái Nguyên province. Open source.',
  },
);
