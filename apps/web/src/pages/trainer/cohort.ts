import { css, html, nothing } from 'lit';
import { ApiError, api, currentUser, request } from '../../api';
import { fmtDate, fmtDateTime, fmtNumber, pick, register, t } from '../../i18n';
import { startAttendanceSync } from '../../offline/attendance-queue';
import { Page } from '../../ui/page';
import { base } from '../../ui/styles';
import { type CohortDetail, downloadText, errorBlock, errorText, type SessionRow } from './common';

register(
  {
    'co.back': 'Lớp học của tôi',
    'co.overview': 'Thông tin lớp',
    'co.courses': 'Khóa học',
    'co.dates': 'Thời gian',
    'co.status': 'Trạng thái',
    'co.kind': 'Đối tượng',
    'co.location': 'Địa điểm',
    'co.lead': 'Giảng viên chính',
    'co.capacity': 'Sĩ số',
    'co.capacityValue': '{active}/{capacity} đang học, {waitlisted} chờ',
    'co.joinCode': 'Mã tham gia',
    'co.minAttendance': 'Chuyên cần tối thiểu',
    'co.roster': 'Danh sách học viên',
    'co.noMembers': 'Lớp chưa có học viên.',
    'co.name': 'Họ và tên',
    'co.memberStatus': 'Trạng thái',
    'co.invitation': 'Lời mời',
    'co.invitation.accepted': 'Đã nhận',
    'co.invitation.pending': 'Đã gửi, chưa nhận',
    'co.upload': 'Thêm học viên từ tệp CSV',
    'co.uploadFile': 'Tệp danh sách (CSV)',
    'co.uploadHelp':
      'Cột: Họ và tên; Email hoặc Số điện thoại; Mã đơn vị (không bắt buộc). Tệp Excel lưu dạng CSV UTF-8, dấu phẩy hoặc chấm phẩy.',
    'co.uploadSubmit': 'Tải lên danh sách',
    'co.uploading': 'Đang tải lên…',
    'co.chooseFile': 'Hãy chọn một tệp CSV.',
    'co.uploadSummary':
      'Đã thêm {added}, danh sách chờ {waitlisted}, đã có trong lớp {already}, bị từ chối {rejected}; mời tạo tài khoản {invited}.',
    'co.uploadResults': 'Kết quả từng dòng',
    'co.row': 'Dòng',
    'co.result': 'Kết quả',
    'co.reason': 'Lý do',
    'co.outcome.added': 'Đã thêm',
    'co.outcome.waitlisted': 'Danh sách chờ',
    'co.outcome.already_member': 'Đã có trong lớp',
    'co.outcome.rejected': 'Bị từ chối',
    'co.account.invited': 'Đã gửi lời mời tạo tài khoản',
    'co.account.existing': 'Tài khoản sẵn có',
    'co.nameDiffers': 'Tên khác với tài khoản sẵn có — nên kiểm tra.',
    'co.duplicateOf': '(trùng dòng {row})',
    'co.sessions': 'Lịch học',
    'co.noSessions': 'Chưa có buổi học nào.',
    'co.when': 'Thời gian',
    'co.duration': 'Thời lượng',
    'co.sessionTitle': 'Tên buổi',
    'co.attendance': 'Điểm danh',
    'co.attendanceValue': 'Có mặt {present}, muộn {late}, vắng {absent}',
    'co.takeAttendance': 'Điểm danh',
    'co.takeAttendanceFor': 'Điểm danh buổi {when}',
    'co.newSession': 'Thêm buổi học',
    'co.date': 'Ngày',
    'co.time': 'Giờ bắt đầu',
    'co.durationMinutes': 'Thời lượng (phút)',
    'co.optional': '(không bắt buộc)',
    'co.addSession': 'Thêm buổi học',
    'co.sessionAdded': 'Đã thêm buổi học.',
    'co.required': 'Vui lòng nhập trường này.',
    'co.report': 'Báo cáo lớp học',
    'co.reportIntro': 'Tỉ lệ chuyên cần tối thiểu: {min}%. Số buổi đã học: {held}.',
    'co.downloadCsv': 'Tải CSV',
    'co.downloading': 'Đang tải…',
    'co.attendancePercent': 'Chuyên cần',
    'co.progress': 'Tiến độ khóa học',
    'co.outcomeCol': 'Kết quả',
    'co.outcome.passed': 'Đạt',
    'co.outcome.not_passed': 'Chưa đạt',
    'co.noReport': 'Chưa có học viên trong báo cáo.',
    'co.cascade': 'Mạng lưới giảng viên của tôi',
    'co.cascadeIntro': 'Giảng viên được đào tạo từ các lớp của bạn (và tiếp nối), cùng số người mỗi người đã tiếp cận.',
    'co.cascadeTotals': '{trainers} giảng viên kế tiếp; {people} người được tiếp cận; {depth} tầng.',
    'co.reach': '{people} người được tiếp cận, {passed} người đạt',
    'co.level.master': 'Giảng viên nguồn',
    'co.level.core': 'Giảng viên cốt cán',
    'co.level.community': 'Giảng viên cộng đồng',
    'co.noCascade': 'Chưa có giảng viên nào được đào tạo từ lớp của bạn.',
  },
  {
    'co.back': 'My cohorts',
    'co.overview': 'About the cohort',
    'co.courses': 'Courses',
    'co.dates': 'Dates',
    'co.status': 'Status',
    'co.kind': 'Audience',
    'co.location': 'Location',
    'co.lead': 'Lead trainer',
    'co.capacity': 'Size',
    'co.capacityValue': '{active}/{capacity} active, {waitlisted} waitlisted',
    'co.joinCode': 'Join code',
    'co.minAttendance': 'Minimum attendance',
    'co.roster': 'Members',
    'co.noMembers': 'The cohort has no members yet.',
    'co.name': 'Full name',
    'co.memberStatus': 'Status',
    'co.invitation': 'Invitation',
    'co.invitation.accepted': 'Accepted',
    'co.invitation.pending': 'Sent, not accepted yet',
    'co.upload': 'Add members from a CSV file',
    'co.uploadFile': 'Roster file (CSV)',
    'co.uploadHelp':
      'Columns: Full name; E-mail or phone number; Unit code (optional). An Excel file saved as CSV UTF-8, comma or semicolon.',
    'co.uploadSubmit': 'Upload the roster',
    'co.uploading': 'Uploading…',
    'co.chooseFile': 'Please choose a CSV file.',
    'co.uploadSummary':
      'Added {added}, waitlisted {waitlisted}, already members {already}, refused {rejected}; invited to create an account {invited}.',
    'co.uploadResults': 'Row by row',
    'co.row': 'Row',
    'co.result': 'Result',
    'co.reason': 'Reason',
    'co.outcome.added': 'Added',
    'co.outcome.waitlisted': 'Waitlisted',
    'co.outcome.already_member': 'Already a member',
    'co.outcome.rejected': 'Refused',
    'co.account.invited': 'Invited to create an account',
    'co.account.existing': 'Existing account',
    'co.nameDiffers': 'The name differs from the existing account — worth a check.',
    'co.duplicateOf': '(same as row {row})',
    'co.sessions': 'Sessions',
    'co.noSessions': 'No session yet.',
    'co.when': 'When',
    'co.duration': 'Duration',
    'co.sessionTitle': 'Title',
    'co.attendance': 'Attendance',
    'co.attendanceValue': 'Present {present}, late {late}, absent {absent}',
    'co.takeAttendance': 'Take attendance',
    'co.takeAttendanceFor': 'Take attendance for {when}',
    'co.newSession': 'Add a session',
    'co.date': 'Date',
    'co.time': 'Start time',
    'co.durationMinutes': 'Duration (minutes)',
    'co.optional': '(optional)',
    'co.addSession': 'Add the session',
    'co.sessionAdded': 'Session added.',
    'co.required': 'Please fill in this field.',
    'co.report': 'Cohort report',
    'co.reportIntro': 'Minimum attendance: {min}%. Sessions held: {held}.',
    'co.downloadCsv': 'Download CSV',
    'co.downloading': 'Downloading…',
    'co.attendancePercent': 'Attendance',
    'co.progress': 'Course progress',
    'co.outcomeCol': 'Outcome',
    'co.outcome.passed': 'Passed',
    'co.outcome.not_passed': 'Not passed',
    'co.noReport': 'No member in the report yet.',
    'co.cascade': 'My trainer cascade',
    'co.cascadeIntro': 'Trainers qualified from your cohorts (and onwards), with the people each one reached.',
    'co.cascadeTotals': '{trainers} downstream trainers; {people} people reached; {depth} levels.',
    'co.reach': '{people} people reached, {passed} passed',
    'co.level.master': 'Master trainer',
    'co.level.core': 'Core trainer',
    'co.level.community': 'Community trainer',
    'co.noCascade': 'No trainer has been qualified from your cohorts yet.',
  },
);

interface Member {
  userId: string;
  fullName: string;
  status: string;
  invitation: { channel: string; delivery: string; accepted: boolean } | null;
}

interface RosterRow {
  rowNumber: number;
  fullName: string | null;
  outcome: 'added' | 'waitlisted' | 'already_member' | 'rejected';
  account?: 'existing' | 'invited';
  nameDiffers?: boolean;
  error?: { code: string; field: string; message: string; duplicateOfRow?: number };
}

interface RosterResult {
  summary: { added: number; waitlisted: number; alreadyMember: number; rejected: number; invited: number };
  rows: RosterRow[];
}

interface Report {
  sessionsHeld: number;
  minAttendancePercent: number;
  members: Array<{
    userId: string;
    fullName: string;
    status: string;
    attendance: { sessionsHeld: number; sessionsAttended: number; percent: number | null; minutes: number };
    progressPercent: number;
    outcome: string | null;
  }>;
}

interface CascadeNode {
  userId: string;
  fullName: string;
  level: string | null;
  reach: { people: number; passed: number };
  trained: CascadeNode[];
}

interface Cascade {
  root: CascadeNode;
  totals: { trainers: number; people: number; depth: number };
}

type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; error: unknown };

/** /trainer/cohorts/:id — roster (CSV upload), sessions, report (JSON + CSV) and the ToT cascade. */
export class TrainerCohortPage extends Page {
  static override styles = [
    base,
    css`
      section {
        margin-top: 1.5rem;
      }
      dl {
        display: grid;
        grid-template-columns: minmax(7rem, auto) 1fr;
        gap: 0.25rem 0.75rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      .back {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
      .row > div {
        flex: 1 1 10rem;
      }
      form .actions {
        margin-top: 0.75rem;
      }
      .help {
        font-size: 0.9rem;
        margin: 0.25rem 0;
      }
      .ok {
        color: var(--hc-success, #166534);
      }
      ul.tree,
      ul.tree ul {
        list-style: none;
        margin: 0;
        padding-left: 1rem;
        border-left: 2px solid var(--hc-border);
      }
      ul.tree {
        padding-left: 0.5rem;
      }
      ul.tree li {
        margin: 0.5rem 0;
      }
      .sessions li {
        margin: 0.5rem 0;
      }
      .table-wrap {
        position: relative;
      }
      .table-wrap > table {
        min-width: 24rem;
      }
      .outcome-rejected {
        color: var(--hc-error);
        font-weight: 600;
      }
    `,
  ];

  private cohort: Load<CohortDetail> = { state: 'loading' };
  private members: Load<Member[]> = { state: 'loading' };
  private sessions: Load<SessionRow[]> = { state: 'loading' };
  private report: Load<Report> = { state: 'loading' };
  private cascade: Load<Cascade> = { state: 'loading' };
  private roster: RosterResult | null = null;
  private rosterError = '';
  private uploading = false;
  private sessionErrors: Record<string, string> = {};
  private sessionMessage = '';
  private sessionFormError = '';
  private savingSession = false;
  private downloading = false;
  private downloadError = '';

  private get cohortId(): string {
    return this.params.id;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    startAttendanceSync();
    void this.loadAll();
  }

  private async run<T>(key: 'cohort' | 'members' | 'sessions' | 'report' | 'cascade', fn: () => Promise<T>) {
    (this as unknown as Record<string, Load<T>>)[key] = { state: 'loading' };
    this.requestUpdate();
    try {
      const value = await fn();
      (this as unknown as Record<string, Load<T>>)[key] = { state: 'ready', value };
    } catch (error) {
      (this as unknown as Record<string, Load<T>>)[key] = { state: 'error', error };
    }
    this.requestUpdate();
  }

  private loadAll(): Promise<unknown> {
    return Promise.all([
      this.run('cohort', () => api.get<CohortDetail>(`/v1/cohorts/${this.cohortId}`)),
      this.loadMembers(),
      this.loadSessions(),
      this.loadReport(),
      this.loadCascade(),
    ]);
  }

  private loadMembers() {
    return this.run('members', () => api.get<Member[]>(`/v1/cohorts/${this.cohortId}/members`));
  }

  private loadSessions() {
    return this.run('sessions', () => api.get<SessionRow[]>(`/v1/cohorts/${this.cohortId}/sessions`));
  }

  private loadReport() {
    return this.run('report', () => api.get<Report>(`/v1/cohorts/${this.cohortId}/report`));
  }

  private loadCascade() {
    const me = currentUser();
    if (!me) return Promise.resolve();
    return this.run('cascade', () => api.get<Cascade>(`/v1/trainers/${me.id}/cascade`));
  }

  override render() {
    const c = this.cohort;
    this.setTitle(c.state === 'ready' ? c.value.title : t('co.overview'));
    return html`
      <p><a class="back" href="/trainer">← ${t('co.back')}</a></p>
      ${c.state === 'loading' ? html`<h1>${t('co.overview')}</h1><p role="status">${t('common.loading')}</p>` : nothing}
      ${c.state === 'error' ? html`<h1>${t('co.overview')}</h1>${errorBlock(c.error, () => void this.loadAll())}` : nothing}
      ${c.state === 'ready' ? this.renderCohort(c.value) : nothing}
    `;
  }

  private renderCohort(c: CohortDetail) {
    return html`
      <h1>${c.title}</h1>
      <section class="card" aria-labelledby="overview-h">
        <h2 id="overview-h">${t('co.overview')}</h2>
        <dl>
          <dt>${t('co.courses')}</dt>
          <dd>${c.courses.map((x) => pick(x.title)).join('; ')}</dd>
          <dt>${t('co.dates')}</dt>
          <dd>${t('tr.dates', { from: fmtDate(c.startsOn), to: fmtDate(c.endsOn) })}</dd>
          <dt>${t('co.status')}</dt>
          <dd>${t(`tr.status.${c.status}`)}</dd>
          <dt>${t('co.kind')}</dt>
          <dd>${t(`tr.kind.${c.kind}`)}</dd>
          ${c.location ? html`<dt>${t('co.location')}</dt><dd>${c.location}</dd>` : nothing}
          <dt>${t('co.lead')}</dt>
          <dd>${c.leadTrainer.fullName}</dd>
          <dt>${t('co.capacity')}</dt>
          <dd>
            ${t('co.capacityValue', {
              active: fmtNumber(c.members.active, 0),
              capacity: fmtNumber(c.capacity, 0),
              waitlisted: fmtNumber(c.members.waitlisted, 0),
            })}
          </dd>
          <dt>${t('co.minAttendance')}</dt>
          <dd>${fmtNumber(c.minAttendancePercent, 0)}%</dd>
          ${c.joinCode ? html`<dt>${t('co.joinCode')}</dt><dd><strong>${c.joinCode}</strong></dd>` : nothing}
        </dl>
      </section>
      ${this.renderRoster()} ${this.renderSessions()} ${this.renderReport()} ${this.renderCascade()}
    `;
  }

  // ---- roster ------------------------------------------------------------------------------
  private renderRoster() {
    const m = this.members;
    return html`<section aria-labelledby="roster-h">
      <h2 id="roster-h">${t('co.roster')}</h2>
      ${m.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${m.state === 'error' ? errorBlock(m.error, () => void this.loadMembers()) : nothing}
      ${
        m.state === 'ready'
          ? m.value.length === 0
            ? html`<p>${t('co.noMembers')}</p>`
            : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t('tbl.label', { name: t('co.roster') })}>
              <table>
                <caption class="sr-only">${t('co.roster')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('co.name')}</th>
                    <th scope="col">${t('co.memberStatus')}</th>
                    <th scope="col">${t('co.invitation')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${m.value.map(
                    (x) => html`<tr>
                      <td>${x.fullName}</td>
                      <td>${t(`tr.member.${x.status}`)}</td>
                      <td>
                        ${x.invitation ? t(x.invitation.accepted ? 'co.invitation.accepted' : 'co.invitation.pending') : '—'}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : nothing
      }
      <form class="card" style="margin-top:1rem" @submit=${this.uploadRoster} novalidate>
        <h3>${t('co.upload')}</h3>
        <label for="roster-file">${t('co.uploadFile')}</label>
        <p class="help muted" id="roster-help">${t('co.uploadHelp')}</p>
        <input
          id="roster-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="roster-help ${this.rosterError ? 'roster-error' : ''}"
          aria-invalid=${this.rosterError ? 'true' : 'false'}
        />
        ${this.rosterError ? html`<p id="roster-error" class="error" role="alert">${this.rosterError}</p>` : nothing}
        <div class="actions">
          <button type="submit" ?disabled=${this.uploading}>
            ${this.uploading ? t('co.uploading') : t('co.uploadSubmit')}
          </button>
        </div>
      </form>
      ${this.roster ? this.renderRosterResult(this.roster) : nothing}
    </section>`;
  }

  private async uploadRoster(e: Event) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#roster-file');
    const file = input?.files?.[0];
    this.roster = null;
    if (!file) {
      this.rosterError = t('co.chooseFile');
      this.requestUpdate();
      input?.focus();
      return;
    }
    this.rosterError = '';
    this.uploading = true;
    this.requestUpdate();
    try {
      this.roster = await request<RosterResult>('POST', `/v1/cohorts/${this.cohortId}/members`, {
        raw: await file.text(),
        contentType: 'text/csv',
      });
      if (input) input.value = '';
      void this.loadMembers();
      void this.run('cohort', () => api.get<CohortDetail>(`/v1/cohorts/${this.cohortId}`)).then(() => undefined);
      void this.loadReport();
    } catch (err) {
      this.rosterError =
        err instanceof ApiError && err.errors.length ? err.errors.map((x) => x.message).join(' ') : errorText(err);
      input?.focus();
    } finally {
      this.uploading = false;
      this.requestUpdate();
    }
  }

  private renderRosterResult(r: RosterResult) {
    const s = r.summary;
    return html`<div class="card" style="margin-top:1rem">
      <p role="status">
        ${t('co.uploadSummary', {
          added: fmtNumber(s.added, 0),
          waitlisted: fmtNumber(s.waitlisted, 0),
          already: fmtNumber(s.alreadyMember, 0),
          rejected: fmtNumber(s.rejected, 0),
          invited: fmtNumber(s.invited, 0),
        })}
      </p>
      <div class="table-wrap" tabindex="0" role="region" aria-label=${t('tbl.label', { name: t('co.uploadResults') })}>
        <table>
          <caption>${t('co.uploadResults')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('co.row')}</th>
              <th scope="col">${t('co.name')}</th>
              <th scope="col">${t('co.result')}</th>
              <th scope="col">${t('co.reason')}</th>
            </tr>
          </thead>
          <tbody>
            ${r.rows.map(
              (row) => html`<tr>
                <td>${row.rowNumber}</td>
                <td>${row.fullName ?? '—'}</td>
                <td class=${row.outcome === 'rejected' ? 'outcome-rejected' : ''}>${t(`co.outcome.${row.outcome}`)}</td>
                <td>
                  ${
                    row.error
                      ? html`${row.error.message}
                        ${row.error.duplicateOfRow ? t('co.duplicateOf', { row: row.error.duplicateOfRow }) : ''}`
                      : html`${row.account ? t(`co.account.${row.account}`) : ''}
                        ${row.nameDiffers ? html`<br />${t('co.nameDiffers')}` : ''}`
                  }
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </div>`;
  }

  // ---- sessions ----------------------------------------------------------------------------
  private renderSessions() {
    const s = this.sessions;
    const err = (f: string) =>
      this.sessionErrors[f] ? html`<p id="s-${f}-error" class="error">${this.sessionErrors[f]}</p>` : nothing;
    const described = (f: string) => (this.sessionErrors[f] ? `s-${f}-error` : '');
    const invalid = (f: string) => (this.sessionErrors[f] ? 'true' : 'false');
    return html`<section aria-labelledby="sessions-h">
      <h2 id="sessions-h">${t('co.sessions')}</h2>
      ${s.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${s.state === 'error' ? errorBlock(s.error, () => void this.loadSessions()) : nothing}
      ${
        s.state === 'ready'
          ? s.value.length === 0
            ? html`<p>${t('co.noSessions')}</p>`
            : html`<ul class="sessions" style="list-style:none;padding:0">
              ${s.value.map(
                (x) => html`<li class="card">
                  <strong>${fmtDateTime(x.startsAt)}</strong> · ${t('tr.minutes', { n: fmtNumber(x.durationMinutes, 0) })}
                  ${x.title ? html`· ${x.title}` : nothing} ${x.location ? html`<br />${x.location}` : nothing}
                  <br /><span class="muted">
                    ${t('co.attendanceValue', {
                      present: fmtNumber(x.attendance.present, 0),
                      late: fmtNumber(x.attendance.late, 0),
                      absent: fmtNumber(x.attendance.absent, 0),
                    })}
                  </span>
                  <br /><a
                    class="button secondary"
                    style="margin-top:0.5rem"
                    href="/trainer/cohorts/${this.cohortId}/sessions/${x.id}"
                    aria-label=${t('co.takeAttendanceFor', { when: fmtDateTime(x.startsAt) })}
                    >${t('co.takeAttendance')}</a
                  >
                </li>`,
              )}
            </ul>`
          : nothing
      }
      <form class="card" style="margin-top:1rem" @submit=${this.createSession} novalidate>
        <h3>${t('co.newSession')}</h3>
        <div class="row">
          <div>
            <label for="s-date">${t('co.date')}</label>
            <input id="s-date" name="date" type="date" required aria-invalid=${invalid('date')} aria-describedby=${described('date')} />
            ${err('date')}
          </div>
          <div>
            <label for="s-time">${t('co.time')}</label>
            <input id="s-time" name="time" type="time" required aria-invalid=${invalid('time')} aria-describedby=${described('time')} />
            ${err('time')}
          </div>
          <div>
            <label for="s-duration">${t('co.durationMinutes')}</label>
            <input
              id="s-duration"
              name="duration"
              type="number"
              inputmode="numeric"
              min="1"
              max="720"
              value="90"
              required
              aria-invalid=${invalid('durationMinutes')}
              aria-describedby=${described('durationMinutes')}
            />
            ${err('durationMinutes')}
          </div>
        </div>
        <label for="s-title">${t('co.sessionTitle')} <span class="muted">${t('co.optional')}</span></label>
        <input id="s-title" name="title" maxlength="200" aria-invalid=${invalid('title')} aria-describedby=${described('title')} />
        ${err('title')}
        <label for="s-location">${t('co.location')} <span class="muted">${t('co.optional')}</span></label>
        <input
          id="s-location"
          name="location"
          maxlength="300"
          aria-invalid=${invalid('location')}
          aria-describedby=${described('location')}
        />
        ${err('location')}
        ${this.sessionFormError ? html`<p class="error" role="alert">${this.sessionFormError}</p>` : nothing}
        <div class="actions">
          <button type="submit" ?disabled=${this.savingSession}>${t('co.addSession')}</button>
        </div>
        <p role="status" class="ok">${this.sessionMessage}</p>
      </form>
    </section>`;
  }

  private async createSession(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value.trim();
    const errors: Record<string, string> = {};
    if (!v('date')) errors.date = t('co.required');
    if (!v('time')) errors.time = t('co.required');
    if (!v('duration')) errors.durationMinutes = t('co.required');
    this.sessionErrors = errors;
    this.sessionMessage = '';
    this.sessionFormError = '';
    if (Object.keys(errors).length) {
      this.requestUpdate();
      await this.updateComplete;
      this.focusFirstError();
      return;
    }
    this.savingSession = true;
    this.requestUpdate();
    try {
      // the time is Vietnam's (UTC+7, no daylight saving)
      await api.post(`/v1/cohorts/${this.cohortId}/sessions`, {
        startsAt: `${v('date')}T${v('time')}:00+07:00`,
        durationMinutes: Number(v('duration')),
        ...(v('title') ? { title: v('title') } : {}),
        ...(v('location') ? { location: v('location') } : {}),
      });
      form.reset();
      this.sessionMessage = t('co.sessionAdded');
      void this.loadSessions();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        for (const fe of err.errors) {
          const field = fe.field === 'startsAt' ? 'date' : fe.field;
          if (['date', 'time', 'durationMinutes', 'title', 'location'].includes(field)) {
            this.sessionErrors = { ...this.sessionErrors, [field]: fe.message };
          } else this.sessionFormError = fe.message;
        }
        if (!Object.keys(this.sessionErrors).length && !this.sessionFormError) this.sessionFormError = errorText(err);
      } else this.sessionFormError = errorText(err);
    } finally {
      this.savingSession = false;
      this.requestUpdate();
      await this.updateComplete;
      this.focusFirstError();
    }
  }

  private focusFirstError() {
    const first = this.renderRoot.querySelector<HTMLElement>('form [aria-invalid="true"]');
    first?.focus();
  }

  // ---- report ------------------------------------------------------------------------------
  private renderReport() {
    const r = this.report;
    return html`<section aria-labelledby="report-h">
      <h2 id="report-h">${t('co.report')}</h2>
      ${r.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${r.state === 'error' ? errorBlock(r.error, () => void this.loadReport()) : nothing}
      ${
        r.state === 'ready'
          ? html`<p>
                ${t('co.reportIntro', {
                  min: fmtNumber(r.value.minAttendancePercent, 0),
                  held: fmtNumber(r.value.sessionsHeld, 0),
                })}
              </p>
              <p>
                <button type="button" class="secondary" ?disabled=${this.downloading} @click=${this.downloadCsv}>
                  ${this.downloading ? t('co.downloading') : t('co.downloadCsv')}
                </button>
              </p>
              ${this.downloadError ? html`<p class="error" role="alert">${this.downloadError}</p>` : nothing}
              ${
                r.value.members.length === 0
                  ? html`<p>${t('co.noReport')}</p>`
                  : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t('tbl.label', { name: t('co.report') })}>
                    <table>
                      <caption class="sr-only">${t('co.report')}</caption>
                      <thead>
                        <tr>
                          <th scope="col">${t('co.name')}</th>
                          <th scope="col">${t('co.attendancePercent')}</th>
                          <th scope="col">${t('co.progress')}</th>
                          <th scope="col">${t('co.outcomeCol')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${r.value.members.map(
                          (m) => html`<tr>
                            <td>${m.fullName}<br /><span class="muted">${t(`tr.member.${m.status}`)}</span></td>
                            <td>
                              ${m.attendance.percent === null ? '—' : `${fmtNumber(m.attendance.percent)}%`}
                              <span class="muted">(${m.attendance.sessionsAttended}/${m.attendance.sessionsHeld})</span>
                            </td>
                            <td>${fmtNumber(m.progressPercent)}%</td>
                            <td>${m.outcome ? t(`co.outcome.${m.outcome}`) : '—'}</td>
                          </tr>`,
                        )}
                      </tbody>
                    </table>
                  </div>`
              }`
          : nothing
      }
    </section>`;
  }

  private async downloadCsv() {
    this.downloading = true;
    this.downloadError = '';
    this.requestUpdate();
    try {
      const text = await request<string>('GET', `/v1/cohorts/${this.cohortId}/report?delimiter=semicolon`, {
        text: true,
      });
      downloadText(text, `cohort-${this.cohortId}.csv`);
    } catch (err) {
      this.downloadError = errorText(err);
    } finally {
      this.downloading = false;
      this.requestUpdate();
    }
  }

  // ---- cascade -----------------------------------------------------------------------------
  private renderCascade() {
    const c = this.cascade;
    return html`<section aria-labelledby="cascade-h">
      <h2 id="cascade-h">${t('co.cascade')}</h2>
      <p class="muted">${t('co.cascadeIntro')}</p>
      ${c.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${c.state === 'error' ? errorBlock(c.error, () => void this.loadCascade()) : nothing}
      ${
        c.state === 'ready'
          ? html`<p>
                ${t('co.cascadeTotals', {
                  trainers: fmtNumber(c.value.totals.trainers, 0),
                  people: fmtNumber(c.value.totals.people, 0),
                  depth: fmtNumber(c.value.totals.depth, 0),
                })}
              </p>
              <ul class="tree">
                ${this.renderNode(c.value.root)}
              </ul>
              ${c.value.root.trained.length === 0 ? html`<p class="muted">${t('co.noCascade')}</p>` : nothing}`
          : nothing
      }
    </section>`;
  }

  private renderNode(n: CascadeNode): unknown {
    return html`<li>
      <strong>${n.fullName}</strong>${n.level ? html` — ${t(`co.level.${n.level}`)}` : nothing}<br />
      <span class="muted">
        ${t('co.reach', { people: fmtNumber(n.reach.people, 0), passed: fmtNumber(n.reach.passed, 0) })}
      </span>
      ${n.trained.length ? html`<ul>${n.trained.map((x) => this.renderNode(x))}</ul>` : nothing}
    </li>`;
  }
}

customElements.define('hc-trainer-cohort-page', TrainerCohortPage);
