import { css, html, nothing } from 'lit';
import { ApiError, api, OfflineError } from '../../api';
import { fmtDateTime, fmtNumber, register, t } from '../../i18n';
import {
  type AttendanceMark,
  type AttendanceStatus,
  discardAttendance,
  loadSnapshot,
  onAttendanceQueueChange,
  type PendingBatch,
  pendingBatch,
  type SessionSnapshot,
  saveAttendance,
  saveSnapshot,
  startAttendanceSync,
} from '../../offline/attendance-queue';
import { onSyncChange } from '../../offline/sync-state';
import { Page } from '../../ui/page';
import { base } from '../../ui/styles';
import { type CohortDetail, errorBlock, errorText, type SessionRow } from './common';

register(
  {
    'at.title': 'Điểm danh',
    'at.back': 'Về lớp học',
    'at.session': 'Buổi học {when}',
    'at.summary': 'Có mặt {present} · Muộn {late} · Vắng {absent} · Chưa điểm danh {unset}',
    'at.allPresent': 'Tất cả có mặt',
    'at.minutes': 'Số phút (không bắt buộc)',
    'at.minutesHelp': 'Để trống: có mặt tính cả buổi ({full} phút), muộn tính một nửa.',
    'at.save': 'Lưu điểm danh',
    'at.saving': 'Đang lưu…',
    'at.sent': 'Đã gửi điểm danh lên máy chủ.',
    'at.queued': 'Đã lưu trên máy, sẽ gửi khi có mạng.',
    'at.waiting': 'Có {n} điểm danh lưu trên máy, chưa gửi.',
    'at.refused': 'Máy chủ không nhận bản điểm danh đã lưu: {message}',
    'at.nothing': 'Hãy điểm danh ít nhất một học viên.',
    'at.noMembers': 'Lớp chưa có học viên đang học.',
    'at.offlineCopy': 'Đang ngoại tuyến — danh sách lưu trên máy lúc {when}.',
    'at.offlineNoCopy':
      'Không có mạng và máy chưa lưu danh sách buổi học này. Hãy mở trang khi có mạng một lần để dùng ngoại tuyến.',
    'at.minutesTooMany': 'Tối đa {max} phút.',
    'at.discard': 'Bỏ bản điểm danh lưu trên máy',
  },
  {
    'at.title': 'Attendance',
    'at.back': 'Back to the cohort',
    'at.session': 'Session of {when}',
    'at.summary': 'Present {present} · Late {late} · Absent {absent} · Not marked {unset}',
    'at.allPresent': 'Everyone present',
    'at.minutes': 'Minutes (optional)',
    'at.minutesHelp': 'Empty: present counts the whole session ({full} min), late counts half.',
    'at.save': 'Save attendance',
    'at.saving': 'Saving…',
    'at.sent': 'Attendance sent to the server.',
    'at.queued': 'Saved on this device; it will be sent when you are online.',
    'at.waiting': '{n} attendance marks are kept on this device, not sent yet.',
    'at.refused': 'The server refused the saved attendance: {message}',
    'at.nothing': 'Please mark at least one member.',
    'at.noMembers': 'The cohort has no active member.',
    'at.offlineCopy': 'Offline — using the list saved on this device at {when}.',
    'at.offlineNoCopy':
      'No connection, and this session’s list is not on this device. Open the page once while online to use it offline.',
    'at.minutesTooMany': 'At most {max} minutes.',
    'at.discard': 'Discard the attendance kept on this device',
  },
);

interface Row {
  userId: string;
  fullName: string;
  status: AttendanceStatus | null;
  /** text of the minutes field ('' = the default) */
  minutes: string;
}

const STATUSES: AttendanceStatus[] = ['present', 'late', 'absent'];

/**
 * /trainer/cohorts/:id/sessions/:sessionId — attendance on a phone: one large row per member, three
 * big toggles (present / late / absent), optional minutes, one save. Marks are kept on the device
 * (IndexedDB) and sent when online; the page opens offline from the copy kept at the last visit.
 */
export class AttendancePage extends Page {
  static override styles = [
    base,
    css`
      .back {
        display: inline-flex;
        align-items: center;
        min-height: 48px;
      }
      ul.members {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.members > li {
        border-bottom: 1px solid var(--hc-border);
        padding: 0.75rem 0;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      legend {
        font-weight: 700;
        font-size: 1.1rem;
        padding: 0;
        margin-bottom: 0.5rem;
      }
      .choices {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: 0.4rem;
      }
      .choice {
        position: relative;
      }
      .choice input {
        position: absolute;
        opacity: 0;
        width: 100%;
        height: 100%;
        margin: 0;
        inset: 0;
        z-index: 1;
        cursor: pointer;
        min-height: 0;
      }
      .choice label {
        margin: 0;
        display: flex;
        align-items: center;
        justify-content: center;
        min-height: 56px;
        border: 2px solid var(--hc-border);
        border-radius: 10px;
        background: #fff;
        font-weight: 700;
        text-align: center;
        padding: 0 0.25rem;
        box-sizing: border-box;
        cursor: pointer;
      }
      .choice input:focus-visible + label {
        outline: 3px solid var(--hc-focus);
        outline-offset: 2px;
      }
      .choice input:checked + label.present {
        background: #166534;
        border-color: #166534;
        color: #fff;
      }
      .choice input:checked + label.late {
        background: #92400e;
        border-color: #92400e;
        color: #fff;
      }
      .choice input:checked + label.absent {
        background: #991b1b;
        border-color: #991b1b;
        color: #fff;
      }
      .choice input:checked + label::before {
        content: '✓ ';
      }
      .minutes {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      .minutes label {
        margin: 0;
        font-weight: 400;
        flex: 1;
      }
      .minutes input {
        width: 6.5rem;
        min-height: 48px;
        flex: none;
      }
      .bar {
        padding: 0.75rem 0;
      }
      .bar button {
        width: 100%;
        min-height: 56px;
        font-size: 1.1rem;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0.5rem 0;
      }
      .tools button {
        min-height: 48px;
      }
      .notice {
        padding: 0.75rem;
        border-radius: 8px;
        margin: 0.5rem 0;
      }
      .notice.queued {
        background: #fef3c7;
        color: #111;
      }
      .notice.sent {
        background: #dcfce7;
        color: #111;
      }
      .row-error {
        margin: 0.25rem 0 0;
      }
    `,
  ];

  private state: 'loading' | 'ready' | 'error' = 'loading';
  private error: unknown = null;
  private cohortTitle = '';
  private session: SessionSnapshot['session'] | null = null;
  private rows: Row[] = [];
  private offlineCopyAt: string | null = null;
  private saving = false;
  private message: { kind: 'sent' | 'queued'; text: string } | null = null;
  private formError = '';
  private rowErrors: Record<string, string> = {};
  private pending: PendingBatch | null = null;
  private offs: Array<() => void> = [];

  override connectedCallback(): void {
    super.connectedCallback();
    startAttendanceSync();
    this.offs.push(onAttendanceQueueChange(() => void this.refreshPending()));
    this.offs.push(onSyncChange(() => this.requestUpdate()));
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.offs) off();
    this.offs = [];
  }

  private get cohortId() {
    return this.params.id;
  }

  private get sessionId() {
    return this.params.sessionId;
  }

  private async load(): Promise<void> {
    this.state = 'loading';
    this.requestUpdate();
    let snapshot: SessionSnapshot | null = null;
    try {
      const [cohort, sessions, attendance] = await Promise.all([
        api.get<CohortDetail>(`/v1/cohorts/${this.cohortId}`),
        api.get<SessionRow[]>(`/v1/cohorts/${this.cohortId}/sessions`),
        api.get<Array<{ userId: string; fullName: string; status: AttendanceStatus | null; minutes: number }>>(
          `/v1/cohorts/${this.cohortId}/sessions/${this.sessionId}/attendance`,
        ),
      ]);
      const s = sessions.find((x) => x.id === this.sessionId);
      snapshot = {
        key: `${this.cohortId}/${this.sessionId}`,
        cohortTitle: cohort.title,
        session: {
          id: this.sessionId,
          startsAt: s?.startsAt ?? null,
          durationMinutes: s?.durationMinutes ?? 0,
          title: s?.title ?? null,
          location: s?.location ?? null,
        },
        members: attendance,
        savedAt: new Date().toISOString(),
      };
      this.offlineCopyAt = null;
      void saveSnapshot(snapshot);
    } catch (err) {
      if (err instanceof OfflineError) {
        snapshot = await loadSnapshot(this.cohortId, this.sessionId);
        if (snapshot) this.offlineCopyAt = snapshot.savedAt;
      }
      if (!snapshot) {
        this.error = err;
        this.state = 'error';
        this.requestUpdate();
        return;
      }
    }
    this.cohortTitle = snapshot.cohortTitle;
    this.session = snapshot.session;
    const full = snapshot.session.durationMinutes;
    this.rows = snapshot.members.map((m) => ({
      userId: m.userId,
      fullName: m.fullName,
      status: m.status,
      // only minutes that differ from the default are shown
      minutes:
        m.status && m.minutes !== (m.status === 'present' ? full : m.status === 'late' ? Math.round(full / 2) : 0)
          ? String(m.minutes)
          : '',
    }));
    this.pending = await pendingBatch(this.cohortId, this.sessionId);
    this.applyPending();
    this.state = 'ready';
    this.requestUpdate();
  }

  /** Marks waiting on the device win over what the server last said. */
  private applyPending() {
    if (!this.pending) return;
    const byId = new Map(this.pending.records.map((r) => [r.userId, r]));
    this.rows = this.rows.map((r) => {
      const p = byId.get(r.userId);
      return p ? { ...r, status: p.status, minutes: p.minutes === undefined ? '' : String(p.minutes) } : r;
    });
  }

  private async refreshPending() {
    const before = this.pending;
    this.pending = await pendingBatch(this.cohortId, this.sessionId);
    if (before && !this.pending && this.message?.kind === 'queued') {
      // the queue sent what was kept on the device
      this.message = { kind: 'sent', text: t('at.sent') };
    }
    this.requestUpdate();
  }

  private setStatus(userId: string, status: AttendanceStatus) {
    this.rows = this.rows.map((r) =>
      r.userId === userId ? { ...r, status, minutes: status === 'absent' ? '' : r.minutes } : r,
    );
    this.message = null;
    this.requestUpdate();
  }

  private setMinutes(userId: string, value: string) {
    this.rows = this.rows.map((r) => (r.userId === userId ? { ...r, minutes: value } : r));
  }

  private allPresent() {
    this.rows = this.rows.map((r) => (r.status ? r : { ...r, status: 'present' }));
    this.message = null;
    this.requestUpdate();
  }

  private async save() {
    this.formError = '';
    this.rowErrors = {};
    this.message = null;
    const full = this.session?.durationMinutes ?? 720;
    const records: AttendanceMark[] = [];
    for (const r of this.rows) {
      if (!r.status) continue;
      const mark: AttendanceMark = { userId: r.userId, status: r.status };
      if (r.status !== 'absent' && r.minutes.trim() !== '') {
        const n = Number(r.minutes);
        if (!Number.isInteger(n) || n < 0 || n > full) {
          this.rowErrors[r.userId] = t('at.minutesTooMany', { max: fmtNumber(full, 0) });
          continue;
        }
        mark.minutes = n;
      }
      records.push(mark);
    }
    if (Object.keys(this.rowErrors).length) {
      this.requestUpdate();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (records.length === 0) {
      this.formError = t('at.nothing');
      this.requestUpdate();
      return;
    }
    this.saving = true;
    this.requestUpdate();
    try {
      const outcome = await saveAttendance(this.cohortId, this.sessionId, records);
      this.message =
        outcome === 'sent' ? { kind: 'sent', text: t('at.sent') } : { kind: 'queued', text: t('at.queued') };
    } catch (err) {
      this.showRefusal(err, records);
    } finally {
      this.saving = false;
      this.pending = await pendingBatch(this.cohortId, this.sessionId);
      this.requestUpdate();
    }
  }

  /** Drops the refused marks kept on the device and shows what the server has. */
  private async discard() {
    await discardAttendance(this.cohortId, this.sessionId);
    this.formError = '';
    this.rowErrors = {};
    this.message = null;
    await this.load();
  }

  private showRefusal(err: unknown, records: AttendanceMark[]) {
    // a refusal is kept with the batch and shown with a way to discard it
    if (!(err instanceof ApiError)) this.formError = errorText(err);
    else {
      const invalid = (err.body.invalidRecords as Array<{ pointer: string }> | undefined) ?? [];
      for (const p of invalid) {
        const m = /^records\.(\d+)\./.exec(p.pointer);
        const rec = m ? records[Number(m[1])] : undefined;
        if (rec) this.rowErrors[rec.userId] = err.errors[0]?.message ?? err.message;
      }
    }
  }

  override render() {
    this.setTitle(t('at.title'));
    return html`
      <p><a class="back" href="/trainer/cohorts/${this.cohortId}">← ${t('at.back')}</a></p>
      <h1>${t('at.title')}</h1>
      ${this.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${
        this.state === 'error'
          ? this.error instanceof OfflineError
            ? html`<div class="card" role="alert">
                <p class="error">${t('at.offlineNoCopy')}</p>
                <button type="button" class="secondary" @click=${() => void this.load()}>${t('common.retry')}</button>
              </div>`
            : errorBlock(this.error, () => void this.load())
          : nothing
      }
      ${this.state === 'ready' ? this.renderReady() : nothing}
    `;
  }

  private renderReady() {
    const s = this.session;
    const count = (st: AttendanceStatus | null) => this.rows.filter((r) => r.status === st).length;
    const pendingError = this.pending?.error;
    return html`
      <p>
        <strong>${this.cohortTitle}</strong><br />
        ${t('at.session', { when: fmtDateTime(s?.startsAt) })}${s?.title ? ` — ${s.title}` : ''}
        ${s ? html`· ${t('tr.minutes', { n: fmtNumber(s.durationMinutes, 0) })}` : nothing}
      </p>
      ${this.offlineCopyAt ? html`<p class="notice queued">${t('at.offlineCopy', { when: fmtDateTime(this.offlineCopyAt) })}</p>` : nothing}
      <div role="status" aria-live="polite">
        ${this.message ? html`<p class="notice ${this.message.kind}">${this.message.text}</p>` : nothing}
        ${
          !this.message && this.pending && !pendingError
            ? html`<p class="notice queued">
                ${t('at.queued')} ${t('at.waiting', { n: fmtNumber(this.pending.records.length, 0) })}
              </p>`
            : nothing
        }
      </div>
      ${
        pendingError
          ? html`<div class="card" role="alert">
              <p class="error">${t('at.refused', { message: pendingError.message })}</p>
              <button type="button" class="secondary" @click=${this.discard}>${t('at.discard')}</button>
            </div>`
          : nothing
      }
      ${
        this.rows.length === 0
          ? html`<p>${t('at.noMembers')}</p>`
          : html`
            <p class="muted" aria-live="polite">
              ${t('at.summary', {
                present: count('present'),
                late: count('late'),
                absent: count('absent'),
                unset: count(null),
              })}
            </p>
            <div class="tools">
              <button type="button" class="secondary" @click=${this.allPresent}>${t('at.allPresent')}</button>
            </div>
            <p class="muted" id="minutes-help">
              ${t('at.minutesHelp', { full: fmtNumber(s?.durationMinutes ?? 0, 0) })}
            </p>
            <ul class="members">
              ${this.rows.map((r, i) => this.renderRow(r, i))}
            </ul>
            <div class="bar">
              ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
              <button type="button" ?disabled=${this.saving} @click=${this.save}>
                ${this.saving ? t('at.saving') : t('at.save')}
              </button>
            </div>
          `
      }
    `;
  }

  private renderRow(r: Row, i: number) {
    const err = this.rowErrors[r.userId];
    return html`<li>
      <fieldset>
        <legend>${r.fullName}</legend>
        <div class="choices">
          ${STATUSES.map(
            (st) => html`<div class="choice">
              <input
                type="radio"
                id="m${i}-${st}"
                name="m${i}"
                value=${st}
                .checked=${r.status === st}
                @change=${() => this.setStatus(r.userId, st)}
              />
              <label for="m${i}-${st}" class=${st}>${t(`tr.att.${st}`)}</label>
            </div>`,
          )}
        </div>
        <div class="minutes">
          <label for="m${i}-minutes">${t('at.minutes')}<span class="sr-only"> — ${r.fullName}</span></label>
          <input
            id="m${i}-minutes"
            type="number"
            inputmode="numeric"
            min="0"
            max=${this.session?.durationMinutes ?? 720}
            .value=${r.minutes}
            ?disabled=${r.status === 'absent'}
            aria-describedby="minutes-help ${err ? `m${i}-error` : ''}"
            aria-invalid=${err ? 'true' : 'false'}
            @input=${(e: Event) => this.setMinutes(r.userId, (e.target as HTMLInputElement).value)}
          />
        </div>
        ${err ? html`<p id="m${i}-error" class="error row-error">${err}</p>` : nothing}
      </fieldset>
    </li>`;
  }
}

customElements.define('hc-attendance-page', AttendancePage);
