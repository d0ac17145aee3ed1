import { html } from 'lit';
import { ApiError, OfflineError } from '../../api';
import { register, t } from '../../i18n';

/** Shared by the trainer pages: cohort and member status labels, error text, downloads. */
export interface CohortSummary {
  id: string;
  title: string;
  kind: string;
  mode: string;
  status: string;
  startsOn: string;
  endsOn: string;
  capacity: number;
  location: string | null;
}

export interface CohortDetail extends CohortSummary {
  courses: Array<{ slug: string; title: { vi: string; en: string } }>;
  leadTrainer: { userId: string; fullName: string };
  staff: Array<{ userId: string; fullName: string; role: string }>;
  members: { active: number; waitlisted: number; sessions: number };
  minAttendancePercent: number;
  joinCode: string | null;
  myRole: string;
}

export interface SessionRow {
  id: string;
  startsAt: string | null;
  durationMinutes: number;
  location: string | null;
  title: string | null;
  attendance: { present: number; late: number; absent: number };
}

register(
  {
    'tr.status.planned': 'Sắp mở',
    'tr.status.running': 'Đang học',
    'tr.status.finished': 'Đã kết thúc',
    'tr.status.archived': 'Đã lưu trữ',
    'tr.kind.tot': 'Đào tạo giảng viên (ToT)',
    'tr.kind.official': 'Cán bộ, công chức',
    'tr.kind.citizen': 'Người dân',
    'tr.kind.worker': 'Người lao động',
    'tr.member.active': 'Đang học',
    'tr.member.waitlisted': 'Danh sách chờ',
    'tr.member.removed': 'Đã rút khỏi lớp',
    'tr.member.transferred': 'Đã chuyển lớp',
    'tr.att.present': 'Có mặt',
    'tr.att.late': 'Muộn',
    'tr.att.absent': 'Vắng',
    'tr.dates': '{from} – {to}',
    'tr.minutes': '{n} phút',
    'tbl.label': 'Bảng: {name}',
  },
  {
    'tr.status.planned': 'Planned',
    'tr.status.running': 'Running',
    'tr.status.finished': 'Finished',
    'tr.status.archived': 'Archived',
    'tr.kind.tot': 'Training of trainers (ToT)',
    'tr.kind.official': 'Officials',
    'tr.kind.citizen': 'Citizens',
    'tr.kind.worker': 'Workers',
    'tr.member.active': 'Active',
    'tr.member.waitlisted': 'Waitlisted',
    'tr.member.removed': 'Removed',
    'tr.member.transferred': 'Transferred',
    'tr.att.present': 'Present',
    'tr.att.late': 'Late',
    'tr.att.absent': 'Absent',
    'tr.dates': '{from} – {to}',
    'tr.minutes': '{n} min',
    'tbl.label': 'Table: {name}',
  },
);

/** The message to show for a failed request (the API's own text, in the UI language). */
export function errorText(err: unknown): string {
  if (err instanceof OfflineError) return t('common.offlineError');
  if (err instanceof ApiError) return err.message || t('common.error');
  return t('common.error');
}

/** An error block with a retry button (role="alert"). */
export function errorBlock(err: unknown, retry: () => void) {
  return html`<div class="card" role="alert">
    <p class="error">${errorText(err)}</p>
    <button type="button" class="secondary" @click=${retry}>${t('common.retry')}</button>
  </div>`;
}

/** Offers text as a file download (CSV: the BOM keeps Excel reading UTF-8). */
export function downloadText(text: string, filename: string, type = 'text/csv;charset=utf-8'): void {
  const body = text.startsWith('\uFEFF') ? text : `\uFEFF${text}`;
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
