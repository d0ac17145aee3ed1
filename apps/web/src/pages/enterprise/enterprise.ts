import { css, html, nothing } from 'lit';
import { ApiError, api, currentUser, hasRole, request } from '../../api';
import { fmtDate, fmtDateTime, fmtNumber, register, t } from '../../i18n';
import { navigate } from '../../router';
import { Page } from '../../ui/page';
import { base } from '../../ui/styles';
import { downloadText, errorBlock, errorText } from '../trainer/common';
import { type TrendPoint, trendChart } from './trend-chart';
import { recentWeeks, weekRange } from './weeks';

register(
  {
    'ent.title': 'Doanh nghiệp',
    'ent.notEnterprise':
      'Tài khoản của bạn không thuộc một doanh nghiệp. Quản trị viên có thể nhập mã doanh nghiệp để xem.',
    'ent.pickId': 'Mã doanh nghiệp (ID)',
    'ent.open': 'Xem doanh nghiệp',
    'ent.taxCode': 'Mã số thuế: {code}',
    'ent.report': 'Gửi báo cáo đào tạo',
    'ent.reportFile': 'Tệp báo cáo (CSV)',
    'ent.reportHelp':
      'Mỗi dòng là một buổi đào tạo của một người lao động. Cột: Mã NV; Ngày (dd/MM/yyyy); Số phút; Nội dung; (Giảng viên, Mã buổi — không bắt buộc). Excel: Lưu thành “CSV UTF-8”, dấu chấm phẩy hoặc dấu phẩy đều được.',
    'ent.send': 'Gửi báo cáo',
    'ent.sending': 'Đang gửi…',
    'ent.chooseFile': 'Hãy chọn tệp báo cáo CSV.',
    'ent.status.received': 'Đã nhận, đang chờ xử lý…',
    'ent.status.processing': 'Đang xử lý…',
    'ent.status.done': 'Đã xử lý xong.',
    'ent.status.failed': 'Không xử lý được báo cáo.',
    'ent.counts': 'Tổng {total} dòng: nhận {accepted}, từ chối {rejected}.',
    'ent.weeks': 'Tuần có dữ liệu: {weeks}',
    'ent.errors': 'Các dòng bị từ chối',
    'ent.row': 'Dòng',
    'ent.field': 'Cột',
    'ent.reason': 'Lý do',
    'ent.value': 'Giá trị',
    'ent.moreErrors': 'Xem thêm lỗi',
    'ent.history': 'Báo cáo đã gửi gần đây',
    'ent.receivedAt': 'Gửi lúc',
    'ent.reportStatus': 'Trạng thái',
    'ent.accepted': 'Nhận',
    'ent.rejected': 'Từ chối',
    'ent.viewReport': 'Xem chi tiết báo cáo gửi lúc {when}',
    'ent.view': 'Xem',
    'ent.compliance': 'Tuân thủ theo tuần',
    'ent.week': 'Tuần',
    'ent.weekOption': 'Tuần {week} ({from} – {to})',
    'ent.coverage': 'Tỉ lệ người lao động học đủ 60 phút',
    'ent.coverageValue': '{percent} ({covered}/{active} người)',
    'ent.compliant': 'Đạt yêu cầu tuần này',
    'ent.notCompliant': 'Chưa đạt yêu cầu tuần này',
    'ent.rule': 'Quy định: ít nhất {theta} người lao động học từ 60 phút/tuần.',
    'ent.rule.session': 'Quy định: có ít nhất một buổi đào tạo từ 60 phút trong tuần.',
    'ent.longest': 'Buổi dài nhất: {n} phút.',
    'ent.notUpToDate': 'Số liệu đang được tính lại; hãy làm mới sau ít phút.',
    'ent.weekClosed': 'Tuần đã khóa sổ.',
    'ent.refresh': 'Làm mới',
    'ent.short': 'Người lao động chưa đủ 60 phút',
    'ent.noShort': 'Không có ai thiếu giờ học trong tuần này.',
    'ent.workerCode': 'Mã NV',
    'ent.name': 'Họ và tên',
    'ent.minutes': 'Số phút',
    'ent.reported': 'Doanh nghiệp báo cáo',
    'ent.hocso': 'Học trên Học Số',
    'ent.moreShort': 'Xem thêm người',
    'ent.downloadCompliance': 'Tải CSV tuần này',
    'ent.trend': 'Xu hướng 12 tuần',
    'ent.chart.summary':
      'Biểu đồ tỉ lệ người lao động học đủ 60 phút, từ tuần {from} đến tuần {to}. Tuần gần nhất: {last}. Đạt yêu cầu {n}/{total} tuần.',
    'ent.chart.compliant': 'Đạt',
    'ent.chart.notCompliant': 'Chưa đạt',
    'ent.chart.table': 'Xem số liệu dạng bảng',
    'ent.workers': 'Danh sách người lao động',
    'ent.activeFrom': 'Từ ngày',
    'ent.activeTo': 'Đến ngày',
    'ent.linked': 'Tài khoản Học Số',
    'ent.linkedYes': 'Đã liên kết',
    'ent.linkedNo': 'Chưa',
    'ent.moreWorkers': 'Xem thêm người lao động',
    'ent.noWorkers': 'Chưa có người lao động nào.',
    'ent.yes': 'Có',
    'ent.f.workerCode': 'Mã NV',
    'ent.f.date': 'Ngày',
    'ent.f.minutes': 'Số phút',
    'ent.f.topic': 'Nội dung',
    'ent.f.courseSlug': 'Khóa học',
    'ent.f.trainer': 'Giảng viên',
    'ent.f.externalRef': 'Mã buổi',
    'ent.f.(row)': '(cả dòng)',
    'ent.no': 'Không',
  },
  {
    'ent.title': 'Enterprise',
    'ent.notEnterprise': 'Your account does not belong to an enterprise. Administrators may enter an enterprise id.',
    'ent.pickId': 'Enterprise id',
    'ent.open': 'Open the enterprise',
    'ent.taxCode': 'Tax code: {code}',
    'ent.report': 'Send a training report',
    'ent.reportFile': 'Report file (CSV)',
    'ent.reportHelp':
      'One row per training session of one worker. Columns: Worker code; Date (dd/MM/yyyy); Minutes; Topic; (Trainer, Session ref — optional). Excel: save as “CSV UTF-8”; semicolons or commas both work.',
    'ent.send': 'Send the report',
    'ent.sending': 'Sending…',
    'ent.chooseFile': 'Please choose a CSV report file.',
    'ent.status.received': 'Received, waiting to be processed…',
    'ent.status.processing': 'Processing…',
    'ent.status.done': 'Processed.',
    'ent.status.failed': 'The report could not be processed.',
    'ent.counts': '{total} rows in all: {accepted} accepted, {rejected} rejected.',
    'ent.weeks': 'Weeks with data: {weeks}',
    'ent.errors': 'Rejected rows',
    'ent.row': 'Row',
    'ent.field': 'Column',
    'ent.reason': 'Reason',
    'ent.value': 'Value',
    'ent.moreErrors': 'Show more errors',
    'ent.history': 'Recent reports',
    'ent.receivedAt': 'Sent at',
    'ent.reportStatus': 'Status',
    'ent.accepted': 'Accepted',
    'ent.rejected': 'Rejected',
    'ent.viewReport': 'Details of the report sent at {when}',
    'ent.view': 'View',
    'ent.compliance': 'Weekly compliance',
    'ent.week': 'Week',
    'ent.weekOption': 'Week {week} ({from} – {to})',
    'ent.coverage': 'Workers with 60 minutes of training',
    'ent.coverageValue': '{percent} ({covered}/{active} people)',
    'ent.compliant': 'Compliant this week',
    'ent.notCompliant': 'Not compliant this week',
    'ent.rule': 'Rule: at least {theta} of workers train 60 minutes a week.',
    'ent.rule.session': 'Rule: at least one training session of 60 minutes in the week.',
    'ent.longest': 'Longest session: {n} minutes.',
    'ent.notUpToDate': 'The figures are being recomputed; refresh in a few minutes.',
    'ent.weekClosed': 'The week is closed.',
    'ent.refresh': 'Refresh',
    'ent.short': 'Workers short of 60 minutes',
    'ent.noShort': 'Nobody is short of training this week.',
    'ent.workerCode': 'Worker code',
    'ent.name': 'Full name',
    'ent.minutes': 'Minutes',
    'ent.reported': 'Reported by the enterprise',
    'ent.hocso': 'Learned on Học Số',
    'ent.moreShort': 'Show more people',
    'ent.downloadCompliance': 'Download this week as CSV',
    'ent.trend': '12-week trend',
    'ent.chart.summary':
      'Chart of the share of workers with 60 minutes of training, from week {from} to week {to}. Latest week: {last}. Compliant {n} of {total} weeks.',
    'ent.chart.compliant': 'Compliant',
    'ent.chart.notCompliant': 'Not compliant',
    'ent.chart.table': 'Show the figures as a table',
    'ent.workers': 'Workers',
    'ent.activeFrom': 'From',
    'ent.activeTo': 'To',
    'ent.linked': 'Học Số account',
    'ent.linkedYes': 'Linked',
    'ent.linkedNo': 'No',
    'ent.moreWorkers': 'Show more workers',
    'ent.noWorkers': 'No worker yet.',
    'ent.yes': 'Yes',
    'ent.f.workerCode': 'Worker code',
    'ent.f.date': 'Date',
    'ent.f.minutes': 'Minutes',
    'ent.f.topic': 'Topic',
    'ent.f.courseSlug': 'Course',
    'ent.f.trainer': 'Trainer',
    'ent.f.externalRef': 'Session ref',
    'ent.f.(row)': '(whole row)',
    'ent.no': 'No',
  },
);

interface Enterprise {
  id: string;
  name: string;
  taxCode: string;
}

interface ReportError {
  row: number;
  field: string;
  code: string;
  message: string;
  value: string | null;
}

interface TrainingReport {
  id: string;
  status: 'received' | 'processing' | 'done' | 'failed';
  totalRows: number;
  acceptedRows: number | null;
  rejectedRows: number | null;
  weeks: string[];
  receivedAt: string;
  finishedAt: string | null;
  failureCode: string | null;
  failureDetail: string | null;
  errors?: { items: ReportError[]; nextCursor: string | null };
}

interface ShortWorker {
  workerCode: string;
  displayName: string | null;
  minutes: number;
  reportedMinutes: number;
  extraMinutes: number;
}

interface Compliance {
  isoWeek: string;
  label: string;
  activeWorkers: number;
  coveredWorkers: number;
  coverage: number | null;
  compliant: boolean;
  rule: string;
  threshold: number;
  longestSessionMinutes: number;
  upToDate: boolean;
  weekStatus: { status: 'open' | 'closed' | 'reopened' };
  shortWorkers: { items: ShortWorker[]; nextCursor: string | null };
}

interface Worker {
  id: string;
  workerCode: string;
  displayName: string | null;
  activeFrom: string | null;
  activeTo: string | null;
  linked: boolean;
}

type Load<T> = { state: 'idle' | 'loading' } | { state: 'ready'; value: T } | { state: 'error'; error: unknown };

const pct = (v: number | null) => (v === null ? '—' : `${fmtNumber(v * 100)}%`);

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * /enterprise — the manager's enterprise (their org unit; admins pass ?id=): training report upload
 * (CSV, asynchronous, per-row errors), weekly compliance with the workers short of 60 minutes, a
 * 12-week coverage chart, and the worker roster.
 */
export class EnterprisePage extends Page {
  static override styles = [
    base,
    css`
      section {
        margin-top: 1.5rem;
      }
      .actions {
        margin-top: 0.75rem;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .help {
        font-size: 0.9rem;
        margin: 0.25rem 0;
      }
      .big {
        font-size: 1.6rem;
        font-weight: 700;
        margin: 0.25rem 0;
      }
      .badge {
        display: inline-block;
        padding: 0.25rem 0.6rem;
        border-radius: 999px;
        font-weight: 600;
      }
      .badge.ok {
        background: #dcfce7;
        color: #14532d;
      }
      .badge.no {
        background: #fef3c7;
        color: #78350f;
      }
      .stats {
        display: grid;
        gap: 0.75rem;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      }
      details {
        margin-top: 0.75rem;
      }
      summary {
        cursor: pointer;
        min-height: 44px;
        display: flex;
        align-items: center;
      }
      td.num,
      th.num {
        text-align: right;
      }
      .table-wrap {
        position: relative;
      }
      .table-wrap > table {
        min-width: 30rem;
      }
    `,
  ];

  private enterpriseId = '';
  private enterprise: Load<Enterprise> = { state: 'loading' };
  // report upload
  private fileKey: string | null = null;
  private fileError = '';
  private sending = false;
  private report: TrainingReport | null = null;
  private reportError = '';
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private history: Load<TrainingReport[]> = { state: 'idle' };
  // compliance
  private weeks = recentWeeks(12, 1);
  private week = this.weeks[0];
  private compliance: Load<Compliance> = { state: 'idle' };
  private moreShortLoading = false;
  private downloadError = '';
  // trend
  private trend: Load<TrendPoint[]> = { state: 'idle' };
  // workers
  private workers: Load<{ items: Worker[]; nextCursor: string | null }> = { state: 'idle' };
  private moreWorkersLoading = false;

  override connectedCallback(): void {
    super.connectedCallback();
    const fromQuery = new URLSearchParams(location.search).get('id');
    this.enterpriseId = (hasRole('org_admin', 'province_admin') && fromQuery) || currentUser()?.orgUnitId || '';
    void this.loadAll();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.pollTimer) clearTimeout(this.pollTimer);
  }

  private get base(): string {
    return `/v1/enterprises/${this.enterpriseId}`;
  }

  private async loadAll(): Promise<void> {
    if (!this.enterpriseId) {
      this.enterprise = { state: 'error', error: null };
      this.requestUpdate();
      return;
    }
    this.enterprise = { state: 'loading' };
    this.requestUpdate();
    try {
      this.enterprise = { state: 'ready', value: await api.get<Enterprise>(this.base) };
    } catch (error) {
      this.enterprise = { state: 'error', error };
      this.requestUpdate();
      return;
    }
    this.requestUpdate();
    void this.loadCompliance();
    void this.loadTrend();
    void this.loadHistory();
    void this.loadWorkers();
  }

  private async loadCompliance(): Promise<void> {
    this.compliance = { state: 'loading' };
    this.downloadError = '';
    this.requestUpdate();
    try {
      const value = await api.get<Compliance>(`${this.base}/compliance?week=${this.week}&limit=50`);
      this.compliance = { state: 'ready', value };
    } catch (error) {
      this.compliance = { state: 'error', error };
    }
    this.requestUpdate();
  }

  private async moreShort(): Promise<void> {
    if (this.compliance.state !== 'ready') return;
    const c = this.compliance.value;
    if (!c.shortWorkers.nextCursor) return;
    this.moreShortLoading = true;
    this.requestUpdate();
    try {
      const q = new URLSearchParams({ week: this.week, limit: '50', cursor: c.shortWorkers.nextCursor });
      const next = await api.get<Compliance>(`${this.base}/compliance?${q}`);
      c.shortWorkers = {
        items: [...c.shortWorkers.items, ...next.shortWorkers.items],
        nextCursor: next.shortWorkers.nextCursor,
      };
    } catch (err) {
      this.downloadError = errorText(err);
    } finally {
      this.moreShortLoading = false;
      this.requestUpdate();
    }
  }

  private async loadTrend(): Promise<void> {
    this.trend = { state: 'loading' };
    this.requestUpdate();
    try {
      const to = this.weeks[0];
      const from = this.weeks[this.weeks.length - 1];
      const value = await api.get<TrendPoint[]>(`${this.base}/compliance/trend?from=${from}&to=${to}`);
      this.trend = { state: 'ready', value };
    } catch (error) {
      this.trend = { state: 'error', error };
    }
    this.requestUpdate();
  }

  private async loadHistory(): Promise<void> {
    this.history = { state: 'loading' };
    this.requestUpdate();
    try {
      const page = await api.get<{ items: TrainingReport[] }>(`${this.base}/training-reports?limit=5`);
      this.history = { state: 'ready', value: page.items };
    } catch (error) {
      this.history = { state: 'error', error };
    }
    this.requestUpdate();
  }

  private async loadWorkers(more = false): Promise<void> {
    const prev = this.workers.state === 'ready' ? this.workers.value : null;
    if (more) this.moreWorkersLoading = true;
    else this.workers = { state: 'loading' };
    this.requestUpdate();
    try {
      const q = new URLSearchParams({ limit: '50' });
      if (more && prev?.nextCursor) q.set('cursor', prev.nextCursor);
      const page = await api.get<{ items: Worker[]; nextCursor: string | null }>(`${this.base}/workers?${q}`);
      this.workers = {
        state: 'ready',
        value: { items: [...(more && prev ? prev.items : []), ...page.items], nextCursor: page.nextCursor },
      };
    } catch (error) {
      if (!more) this.workers = { state: 'error', error };
    } finally {
      this.moreWorkersLoading = false;
      this.requestUpdate();
    }
  }

  // ---- report upload -------------------------------------------------------------------------
  private fileChosen() {
    // one Idempotency-Key per chosen file: sending the same choice twice is one report
    this.fileKey = newKey();
    this.fileError = '';
    this.requestUpdate();
  }

  private async sendReport(e: Event) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#report-file');
    const file = input?.files?.[0];
    if (!file) {
      this.fileError = t('ent.chooseFile');
      this.requestUpdate();
      input?.focus();
      return;
    }
    this.fileKey ??= newKey();
    this.fileError = '';
    this.reportError = '';
    this.report = null;
    this.sending = true;
    this.requestUpdate();
    try {
      const created = await request<TrainingReport>('POST', `${this.base}/training-reports`, {
        raw: await file.arrayBuffer(),
        contentType: 'text/csv; charset=utf-8',
        headers: { 'Idempotency-Key': this.fileKey },
      });
      this.report = created;
      this.poll(created.id, 0);
    } catch (err) {
      this.fileError =
        err instanceof ApiError && err.errors.length ? err.errors.map((x) => x.message).join(' ') : errorText(err);
      input?.focus();
    } finally {
      this.sending = false;
      this.requestUpdate();
    }
  }

  private poll(id: string, attempt: number) {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    const delay = Math.min(1000 + attempt * 500, 5000);
    this.pollTimer = setTimeout(async () => {
      try {
        const r = await api.get<TrainingReport>(`/v1/training-reports/${id}?limit=100`);
        this.report = r;
        this.requestUpdate();
        if (r.status === 'done' || r.status === 'failed') {
          void this.loadHistory();
          if (r.weeks.length) {
            const latest = [...r.weeks].sort().pop() as string;
            if (!this.weeks.includes(latest)) this.weeks = [latest, ...this.weeks];
            this.week = latest;
          }
          void this.loadCompliance();
          void this.loadTrend();
          return;
        }
      } catch (err) {
        this.reportError = errorText(err);
        this.requestUpdate();
      }
      if (attempt < 120) this.poll(id, attempt + 1);
    }, delay);
  }

  private async moreErrors() {
    const r = this.report;
    if (!r?.errors?.nextCursor) return;
    try {
      const q = new URLSearchParams({ limit: '100', cursor: r.errors.nextCursor });
      const next = await api.get<TrainingReport>(`/v1/training-reports/${r.id}?${q}`);
      r.errors = {
        items: [...r.errors.items, ...(next.errors?.items ?? [])],
        nextCursor: next.errors?.nextCursor ?? null,
      };
    } catch (err) {
      this.reportError = errorText(err);
    }
    this.requestUpdate();
  }

  private async openReport(id: string) {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.reportError = '';
    try {
      this.report = await api.get<TrainingReport>(`/v1/training-reports/${id}?limit=100`);
      if (this.report.status === 'received' || this.report.status === 'processing') this.poll(id, 0);
    } catch (err) {
      this.reportError = errorText(err);
    }
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#report-result')?.focus();
  }

  private async downloadCompliance() {
    this.downloadError = '';
    try {
      const text = await request<string>('GET', `${this.base}/compliance.csv?week=${this.week}`, { text: true });
      downloadText(text, `compliance-${this.week}.csv`);
    } catch (err) {
      this.downloadError = errorText(err);
      this.requestUpdate();
    }
  }

  // ---- render --------------------------------------------------------------------------------
  override render() {
    const e = this.enterprise;
    this.setTitle(e.state === 'ready' ? e.value.name : t('ent.title'));
    if (e.state === 'loading') return html`<h1>${t('ent.title')}</h1><p role="status">${t('common.loading')}</p>`;
    if (e.state !== 'ready') {
      const err = e.state === 'error' ? e.error : null;
      const notMine = !err || (err instanceof ApiError && (err.status === 403 || err.status === 404));
      return html`<h1>${t('ent.title')}</h1>
        ${notMine ? html`<p>${t('ent.notEnterprise')}</p>` : errorBlock(err, () => void this.loadAll())}
        ${hasRole('org_admin', 'province_admin') ? this.renderPicker() : nothing}`;
    }
    return html`
      <h1>${e.value.name}</h1>
      <p class="muted">${t('ent.taxCode', { code: e.value.taxCode })}</p>
      ${this.renderUpload()} ${this.renderCompliance()} ${this.renderTrend()} ${this.renderWorkers()}
    `;
  }

  private renderPicker() {
    return html`<form
      class="card"
      @submit=${(ev: Event) => {
        ev.preventDefault();
        const v = (this.renderRoot.querySelector('#ent-id') as HTMLInputElement).value.trim();
        if (v) {
          navigate(`/enterprise?id=${encodeURIComponent(v)}`);
        }
      }}
    >
      <label for="ent-id">${t('ent.pickId')}</label>
      <input id="ent-id" name="id" autocomplete="off" />
      <div class="actions"><button type="submit">${t('ent.open')}</button></div>
    </form>`;
  }

  private renderUpload() {
    const r = this.report;
    return html`<section aria-labelledby="upload-h">
      <h2 id="upload-h">${t('ent.report')}</h2>
      <form class="card" @submit=${this.sendReport} novalidate>
        <label for="report-file">${t('ent.reportFile')}</label>
        <p class="help muted" id="report-help">${t('ent.reportHelp')}</p>
        <input
          id="report-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="report-help ${this.fileError ? 'report-file-error' : ''}"
          aria-invalid=${this.fileError ? 'true' : 'false'}
          @change=${this.fileChosen}
        />
        ${this.fileError ? html`<p id="report-file-error" class="error" role="alert">${this.fileError}</p>` : nothing}
        <div class="actions">
          <button type="submit" ?disabled=${this.sending}>${this.sending ? t('ent.sending') : t('ent.send')}</button>
        </div>
      </form>
      <p class="sr-only" role="status">${r ? this.reportStatusText(r) : ''}</p>
      <div id="report-result" tabindex="-1">${r ? this.renderReport(r) : nothing}</div>
      ${this.reportError ? html`<p class="error" role="alert">${this.reportError}</p>` : nothing}
      ${this.renderHistory()}
    </section>`;
  }

  private fieldLabel(field: string): string {
    const key = `ent.f.${field}`;
    const label = t(key);
    return label === key ? field : label;
  }

  private reportStatusText(r: TrainingReport): string {
    const done = r.status === 'done' || r.status === 'failed';
    return done
      ? `${t(`ent.status.${r.status}`)} ${t('ent.counts', {
          total: fmtNumber(r.totalRows, 0),
          accepted: fmtNumber(r.acceptedRows ?? 0, 0),
          rejected: fmtNumber(r.rejectedRows ?? 0, 0),
        })}`
      : t(`ent.status.${r.status}`);
  }

  private renderReport(r: TrainingReport) {
    const done = r.status === 'done' || r.status === 'failed';
    return html`<div class="card" style="margin-top:1rem">
      <p><strong>${t(`ent.status.${r.status}`)}</strong> <span class="muted">${fmtDateTime(r.receivedAt)}</span></p>
      ${r.status === 'failed' && r.failureDetail ? html`<p class="error">${r.failureDetail}</p>` : nothing}
      ${
        done
          ? html`<p>
              ${t('ent.counts', {
                total: fmtNumber(r.totalRows, 0),
                accepted: fmtNumber(r.acceptedRows ?? 0, 0),
                rejected: fmtNumber(r.rejectedRows ?? 0, 0),
              })}
            </p>`
          : nothing
      }
      ${r.weeks.length ? html`<p>${t('ent.weeks', { weeks: r.weeks.join(', ') })}</p>` : nothing}
      ${
        r.errors?.items.length
          ? html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t('tbl.label', { name: t('ent.errors') })}>
              <table>
                <caption>${t('ent.errors')}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">${t('ent.row')}</th>
                    <th scope="col">${t('ent.field')}</th>
                    <th scope="col">${t('ent.reason')}</th>
                    <th scope="col">${t('ent.value')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.errors.items.map(
                    (e) => html`<tr>
                      <td class="num">${e.row}</td>
                      <td>${this.fieldLabel(e.field)}</td>
                      <td>${e.message}</td>
                      <td>${e.value ?? ''}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${
              r.errors.nextCursor
                ? html`<div class="actions">
                    <button type="button" class="secondary" @click=${this.moreErrors}>${t('ent.moreErrors')}</button>
                  </div>`
                : nothing
            }`
          : nothing
      }
    </div>`;
  }

  private renderHistory() {
    const h = this.history;
    if (h.state !== 'ready' || h.value.length === 0) return nothing;
    return html`<h3>${t('ent.history')}</h3>
      <div class="table-wrap" tabindex="0" role="region" aria-label=${t('tbl.label', { name: t('ent.history') })}>
        <table>
          <thead>
            <tr>
              <th scope="col">${t('ent.receivedAt')}</th>
              <th scope="col">${t('ent.reportStatus')}</th>
              <th scope="col" class="num">${t('ent.accepted')}</th>
              <th scope="col" class="num">${t('ent.rejected')}</th>
              <th scope="col"><span class="sr-only">${t('ent.view')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${h.value.map(
              (r) => html`<tr>
                <td>${fmtDateTime(r.receivedAt)}</td>
                <td>${t(`ent.status.${r.status}`)}</td>
                <td class="num">${r.acceptedRows === null ? '—' : fmtNumber(r.acceptedRows, 0)}</td>
                <td class="num">${r.rejectedRows === null ? '—' : fmtNumber(r.rejectedRows, 0)}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-label=${t('ent.viewReport', { when: fmtDateTime(r.receivedAt) })}
                    @click=${() => void this.openReport(r.id)}
                  >
                    ${t('ent.view')}
                  </button>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private weekOption(w: string) {
    const { monday, sunday } = weekRange(w);
    return t('ent.weekOption', { week: w, from: fmtDate(monday), to: fmtDate(sunday) });
  }

  private renderCompliance() {
    const c = this.compliance;
    return html`<section aria-labelledby="compliance-h">
      <h2 id="compliance-h">${t('ent.compliance')}</h2>
      <label for="week">${t('ent.week')}</label>
      <select
        id="week"
        @change=${(e: Event) => {
          this.week = (e.target as HTMLSelectElement).value;
          void this.loadCompliance();
        }}
      >
        ${this.weeks.map((w) => html`<option value=${w} ?selected=${w === this.week}>${this.weekOption(w)}</option>`)}
      </select>
      ${c.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${c.state === 'error' ? errorBlock(c.error, () => void this.loadCompliance()) : nothing}
      ${c.state === 'ready' ? this.renderWeek(c.value) : nothing}
    </section>`;
  }

  private ruleText(c: Compliance) {
    const theta = `${fmtNumber(c.threshold * 100, 0)}%`;
    return c.rule === 'weekly_session' ? t('ent.rule.session') : t('ent.rule', { theta });
  }

  private renderWeek(c: Compliance) {
    return html`
      <div class="stats" style="margin-top:1rem">
        <div class="card">
          <p>${t('ent.coverage')}</p>
          <p class="big">
            ${t('ent.coverageValue', {
              percent: pct(c.coverage),
              covered: fmtNumber(c.coveredWorkers, 0),
              active: fmtNumber(c.activeWorkers, 0),
            })}
          </p>
          <p><span class="badge ${c.compliant ? 'ok' : 'no'}">${t(c.compliant ? 'ent.compliant' : 'ent.notCompliant')}</span></p>
        </div>
        <div class="card">
          <p>${this.ruleText(c)}</p>
          <p class="muted">${t('ent.longest', { n: fmtNumber(c.longestSessionMinutes, 0) })}</p>
          ${c.weekStatus.status === 'closed' ? html`<p class="muted">${t('ent.weekClosed')}</p>` : nothing}
          ${c.upToDate ? nothing : html`<p>${t('ent.notUpToDate')}</p>`}
          <div class="actions">
            <button type="button" class="secondary" @click=${() => void this.loadCompliance()}>${t('ent.refresh')}</button>
            <button type="button" class="secondary" @click=${this.downloadCompliance}>${t('ent.downloadCompliance')}</button>
          </div>
          ${this.downloadError ? html`<p class="error" role="alert">${this.downloadError}</p>` : nothing}
        </div>
      </div>
      <h3>${t('ent.short')}</h3>
      ${
        c.shortWorkers.items.length === 0
          ? html`<p>${t('ent.noShort')}</p>`
          : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t('tbl.label', { name: t('ent.short') })}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t('ent.workerCode')}</th>
                    <th scope="col">${t('ent.name')}</th>
                    <th scope="col" class="num">${t('ent.minutes')}</th>
                    <th scope="col" class="num">${t('ent.reported')}</th>
                    <th scope="col" class="num">${t('ent.hocso')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${c.shortWorkers.items.map(
                    (w) => html`<tr>
                      <td>${w.workerCode}</td>
                      <td>${w.displayName ?? '—'}</td>
                      <td class="num">${fmtNumber(w.minutes, 0)}</td>
                      <td class="num">${fmtNumber(w.reportedMinutes, 0)}</td>
                      <td class="num">${fmtNumber(w.extraMinutes, 0)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${
              c.shortWorkers.nextCursor
                ? html`<div class="actions">
                    <button type="button" class="secondary" ?disabled=${this.moreShortLoading} @click=${this.moreShort}>
                      ${t('ent.moreShort')}
                    </button>
                  </div>`
                : nothing
            }`
      }
    `;
  }

  private renderTrend() {
    const tr = this.trend;
    const threshold = this.compliance.state === 'ready' ? this.compliance.value.threshold : null;
    return html`<section aria-labelledby="trend-h">
      <h2 id="trend-h">${t('ent.trend')}</h2>
      ${tr.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${tr.state === 'error' ? errorBlock(tr.error, () => void this.loadTrend()) : nothing}
      ${
        tr.state === 'ready' && tr.value.length
          ? html`
            ${trendChart(
              tr.value,
              threshold,
              t('ent.chart.summary', {
                from: tr.value[0].isoWeek,
                to: tr.value[tr.value.length - 1].isoWeek,
                last: pct(tr.value[tr.value.length - 1].coverage),
                n: tr.value.filter((p) => p.compliant).length,
                total: tr.value.length,
              }),
            )}
            <details>
              <summary>${t('ent.chart.table')}</summary>
              <div class="table-wrap" tabindex="0" role="region" aria-label=${t('tbl.label', { name: t('ent.trend') })}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${t('ent.week')}</th>
                      <th scope="col" class="num">${t('ent.coverage')}</th>
                      <th scope="col">${t('ent.chart.compliant')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${tr.value.map(
                      (p) => html`<tr>
                        <td>${this.weekOption(p.isoWeek)}</td>
                        <td class="num">
                          ${pct(p.coverage)} (${fmtNumber(p.coveredWorkers, 0)}/${fmtNumber(p.activeWorkers, 0)})
                        </td>
                        <td>${t(p.compliant ? 'ent.yes' : 'ent.no')}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
            </details>
          `
          : nothing
      }
    </section>`;
  }

  private renderWorkers() {
    const w = this.workers;
    return html`<section aria-labelledby="workers-h">
      <h2 id="workers-h">${t('ent.workers')}</h2>
      ${w.state === 'loading' ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${w.state === 'error' ? errorBlock(w.error, () => void this.loadWorkers()) : nothing}
      ${
        w.state === 'ready'
          ? w.value.items.length === 0
            ? html`<p>${t('ent.noWorkers')}</p>`
            : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t('tbl.label', { name: t('ent.workers') })}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${t('ent.workerCode')}</th>
                      <th scope="col">${t('ent.name')}</th>
                      <th scope="col">${t('ent.activeFrom')}</th>
                      <th scope="col">${t('ent.activeTo')}</th>
                      <th scope="col">${t('ent.linked')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${w.value.items.map(
                      (x) => html`<tr>
                        <td>${x.workerCode}</td>
                        <td>${x.displayName ?? '—'}</td>
                        <td>${x.activeFrom ? fmtDate(x.activeFrom) : '—'}</td>
                        <td>${x.activeTo ? fmtDate(x.activeTo) : '—'}</td>
                        <td>${t(x.linked ? 'ent.linkedYes' : 'ent.linkedNo')}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              ${
                w.value.nextCursor
                  ? html`<div class="actions">
                      <button
                        type="button"
                        class="secondary"
                        ?disabled=${this.moreWorkersLoading}
                        @click=${() => void this.loadWorkers(true)}
                      >
                        ${t('ent.moreWorkers')}
                      </button>
                    </div>`
                  : nothing
              }`
          : nothing
      }
    </section>`;
  }
}

customElements.define('hc-enterprise-page', EnterprisePage);
