import { css, html, nothing } from 'lit';
import { ApiError, api, hasRole } from '../../api';
import { fmtDate, fmtDateTime, onLangChange, register, t } from '../../i18n';
import { Page } from '../../ui/page';
import { base } from '../../ui/styles';
import './kpi-chart';
import './kpi-filters';
import type { FilterChange } from './kpi-filters';
import {
  type BreakdownBy,
  csvName,
  csvPath,
  detailHref,
  downloadCsv,
  errorText,
  fmtCount,
  fmtValue,
  type KpiItem,
  type KpiUnit,
  kpiCard,
  kpiStyles,
  type OrgUnitRef,
  periodLabel,
  query,
} from './kpi-shared';
import { addWeeks, isoWeekOf, isPeriod, lastWeekOf, today } from './period';

register(
  {
    'kpi.detail.notFound': 'Không tìm thấy chỉ tiêu này.',
    'kpi.detail.current': 'Số liệu kỳ này',
    'kpi.detail.series': 'Diễn biến theo tuần',
    'kpi.detail.weeks': 'Số tuần hiển thị',
    'kpi.detail.weeksN': '{n} tuần gần nhất',
    'kpi.detail.table': 'Xem bảng số liệu',
    'kpi.detail.tableCaption': '{label} theo tuần, {unit}',
    'kpi.detail.week': 'Tuần',
    'kpi.detail.value': 'Giá trị',
    'kpi.detail.numerator': 'Tử số',
    'kpi.detail.denominator': 'Mẫu số',
    'kpi.detail.state': 'Trạng thái',
    'kpi.detail.notComputed': 'Chưa tính',
    'kpi.detail.late': 'có số liệu bổ sung muộn',
    'kpi.detail.breakdown': 'Chi tiết',
    'kpi.detail.by': 'Chi tiết theo',
    'kpi.detail.by.commune': 'Xã, phường',
    'kpi.detail.by.agency': 'Cơ quan, đơn vị',
    'kpi.detail.by.park': 'Khu công nghiệp',
    'kpi.detail.by.enterprise': 'Doanh nghiệp',
    'kpi.detail.by.level': 'Cấp giảng viên',
    'kpi.detail.by.source': 'Nguồn giảng viên',
    'kpi.detail.by.position': 'Chức vụ',
    'kpi.detail.by.segment': 'Nhóm người học',
    'kpi.detail.name': 'Tên',
    'kpi.detail.sortBy': 'Sắp xếp theo {col}',
    'kpi.detail.total': 'Tổng: {unit}',
    'kpi.detail.noRows': 'Không có dòng nào.',
    'kpi.detail.breakdownCaption': '{label} theo {by}, {period}',
    'kpi.detail.exportBreakdown': 'Tải CSV chi tiết',
    'kpi.detail.targetSection': 'Mục tiêu và lịch sử thay đổi',
    'kpi.detail.changeTarget': 'Đổi mục tiêu',
    'kpi.detail.targetValue': 'Giá trị mục tiêu',
    'kpi.detail.targetValueHint.percent': 'Tỷ lệ phần trăm, từ 0 đến 100 (ví dụ 80 hoặc 72,5).',
    'kpi.detail.targetValueHint.count': 'Một số, ví dụ 3.000.',
    'kpi.detail.comparison': 'Cách so sánh',
    'kpi.detail.comparison.gte': 'Ít nhất (≥)',
    'kpi.detail.comparison.gt': 'Nhiều hơn (>)',
    'kpi.detail.targetDate': 'Hạn hoàn thành',
    'kpi.detail.targetDateHint': 'Định dạng dd/mm/yyyy, ví dụ 31/12/2026.',
    'kpi.detail.reason': 'Lý do thay đổi',
    'kpi.detail.reasonHint': 'Bắt buộc, được lưu trong lịch sử (ví dụ số quyết định).',
    'kpi.detail.save': 'Lưu mục tiêu',
    'kpi.detail.saving': 'Đang lưu…',
    'kpi.detail.saved': 'Đã lưu mục tiêu mới.',
    'kpi.detail.formErrors': 'Vui lòng sửa các lỗi được đánh dấu.',
    'kpi.detail.err.value': 'Nhập một số không âm.',
    'kpi.detail.err.percent': 'Nhập một tỷ lệ từ 0 đến 100.',
    'kpi.detail.err.date': 'Nhập ngày theo dạng dd/mm/yyyy.',
    'kpi.detail.err.reason': 'Nhập lý do (từ 3 đến 500 ký tự).',
    'kpi.detail.audit': 'Lịch sử thay đổi',
    'kpi.detail.auditEmpty': 'Chưa có thay đổi nào.',
    'kpi.detail.auditBy': '{at} — {who}',
    'kpi.detail.auditSystem': 'hệ thống',
    'kpi.detail.auditReason': 'Lý do: {reason}',
    'kpi.detail.change': '{field}: {before} → {after}',
    'kpi.detail.field.targetValue': 'Mục tiêu',
    'kpi.detail.field.targetComparison': 'Cách so sánh',
    'kpi.detail.field.targetDate': 'Hạn',
    'kpi.detail.field.ownerName': 'Đơn vị chủ trì',
    'kpi.detail.field.params': 'Tham số',
    'kpi.detail.none': '(trống)',
    'kpi.detail.changedParams': 'đã thay đổi',
  },
  {
    'kpi.detail.notFound': 'This KPI was not found.',
    'kpi.detail.current': 'This period',
    'kpi.detail.series': 'Week by week',
    'kpi.detail.weeks': 'Weeks shown',
    'kpi.detail.weeksN': 'Last {n} weeks',
    'kpi.detail.table': 'Show the figures as a table',
    'kpi.detail.tableCaption': '{label} by week, {unit}',
    'kpi.detail.week': 'Week',
    'kpi.detail.value': 'Value',
    'kpi.detail.numerator': 'Numerator',
    'kpi.detail.denominator': 'Denominator',
    'kpi.detail.state': 'Status',
    'kpi.detail.notComputed': 'Not computed',
    'kpi.detail.late': 'late data found',
    'kpi.detail.breakdown': 'Breakdown',
    'kpi.detail.by': 'Break down by',
    'kpi.detail.by.commune': 'Commune or ward',
    'kpi.detail.by.agency': 'Agency',
    'kpi.detail.by.park': 'Industrial park',
    'kpi.detail.by.enterprise': 'Enterprise',
    'kpi.detail.by.level': 'Trainer level',
    'kpi.detail.by.source': 'Trainer source',
    'kpi.detail.by.position': 'Position',
    'kpi.detail.by.segment': 'Learner group',
    'kpi.detail.name': 'Name',
    'kpi.detail.sortBy': 'Sort by {col}',
    'kpi.detail.total': 'Total: {unit}',
    'kpi.detail.noRows': 'No rows.',
    'kpi.detail.breakdownCaption': '{label} by {by}, {period}',
    'kpi.detail.exportBreakdown': 'Download the breakdown as CSV',
    'kpi.detail.targetSection': 'Target and change history',
    'kpi.detail.changeTarget': 'Change the target',
    'kpi.detail.targetValue': 'Target value',
    'kpi.detail.targetValueHint.percent': 'A percentage from 0 to 100 (e.g. 80 or 72,5).',
    'kpi.detail.targetValueHint.count': 'A number, e.g. 3.000.',
    'kpi.detail.comparison': 'Comparison',
    'kpi.detail.comparison.gte': 'At least (≥)',
    'kpi.detail.comparison.gt': 'More than (>)',
    'kpi.detail.targetDate': 'Deadline',
    'kpi.detail.targetDateHint': 'Format dd/mm/yyyy, e.g. 31/12/2026.',
    'kpi.detail.reason': 'Reason for the change',
    'kpi.detail.reasonHint': 'Required; kept in the history (e.g. the decision number).',
    'kpi.detail.save': 'Save the target',
    'kpi.detail.saving': 'Saving…',
    'kpi.detail.saved': 'The new target is saved.',
    'kpi.detail.formErrors': 'Please correct the marked fields.',
    'kpi.detail.err.value': 'Enter a number, zero or more.',
    'kpi.detail.err.percent': 'Enter a percentage from 0 to 100.',
    'kpi.detail.err.date': 'Enter the date as dd/mm/yyyy.',
    'kpi.detail.err.reason': 'Enter a reason (3 to 500 characters).',
    'kpi.detail.audit': 'Change history',
    'kpi.detail.auditEmpty': 'No changes yet.',
    'kpi.detail.auditBy': '{at} — {who}',
    'kpi.detail.auditSystem': 'system',
    'kpi.detail.auditReason': 'Reason: {reason}',
    'kpi.detail.change': '{field}: {before} → {after}',
    'kpi.detail.field.targetValue': 'Target',
    'kpi.detail.field.targetComparison': 'Comparison',
    'kpi.detail.field.targetDate': 'Deadline',
    'kpi.detail.field.ownerName': 'Lead unit',
    'kpi.detail.field.params': 'Parameters',
    'kpi.detail.none': '(none)',
    'kpi.detail.changedParams': 'changed',
  },
);

interface SeriesPoint {
  period: string;
  computed: boolean;
  status: 'provisional' | 'frozen' | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  noData: boolean;
  late: boolean;
}

interface Series {
  code: string;
  label: string;
  unit: KpiUnit;
  orgUnit: OrgUnitRef;
  target: { value: number; date: string | null } | null;
  points: SeriesPoint[];
}

interface BreakdownRow {
  key: string;
  orgUnitId: string | null;
  code: string | null;
  name: string;
  kind: string | null;
  value: number | null;
  numerator: number;
  denominator: number | null;
  noData: boolean;
}

interface Breakdown {
  code: string;
  label: string;
  unit: KpiUnit;
  by: BreakdownBy;
  period: string;
  orgUnit: OrgUnitRef;
  total: { value: number | null; numerator: number; denominator: number | null; noData: boolean };
  rows: BreakdownRow[];
}

interface Definition {
  code: string;
  kind: 'target' | 'activity';
  unit: KpiUnit;
  targetValue: number | null;
  targetComparison: 'gte' | 'gt';
  targetDate: string | null;
}

interface AuditState {
  targetValue?: number | null;
  targetComparison?: 'gte' | 'gt';
  targetDate?: string | null;
  ownerName?: string | null;
  params?: unknown;
}

interface AuditEntry {
  id: string;
  changedBy: { id: string; fullName: string | null } | null;
  changedAt: string;
  reason: string | null;
  before: AuditState;
  after: AuditState;
}

type Field = 'targetValue' | 'targetComparison' | 'targetDate' | 'reason';

/** "72,5", "80", "3.000", "1.234,5" → a number (the Vietnamese way first; a lone dot as a decimal point). */
export function parseNumber(raw: string): number | null {
  let s = raw.trim().replace(/[\s\u00a0%]/g, '');
  if (!s) return null;
  if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

/** dd/MM/yyyy → YYYY-MM-DD (a real date), or null. */
export function parseDate(raw: string): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(raw.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * /admin/kpis/:code — one KPI at a unit: this period's figures, the weekly series (chart and
 * table), a breakdown by unit or slice (sortable, exportable), and for province admins the target
 * form and its audit trail.
 */
export class KpiDetailPage extends Page {
  static override properties = {
    ...Page.properties,
    item: { state: true },
    itemError: { state: true },
    notFound: { state: true },
    series: { state: true },
    seriesError: { state: true },
    breakdown: { state: true },
    breakdownError: { state: true },
    breakdownLoading: { state: true },
    sortKey: { state: true },
    sortDesc: { state: true },
    audit: { state: true },
    definition: { state: true },
    message: { state: true },
    busy: { state: true },
    form: { state: true },
    fieldErrors: { state: true },
    formMessage: { state: true },
    formError: { state: true },
  };
  static override styles = [
    base,
    kpiStyles,
    css`
      .back {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
      }
      .desc {
        max-width: 48rem;
      }
      .current {
        max-width: 36rem;
      }
      .toolbar > div {
        min-width: min(100%, 14rem);
      }
      .toolbar label {
        margin-top: 0;
      }
      th button.sort {
        background: none;
        color: inherit;
        border: 0;
        padding: 0 0.25rem;
        font-weight: 600;
        min-height: 44px;
        justify-content: flex-start;
      }
      th.num button.sort {
        justify-content: flex-end;
        width: 100%;
      }
      details {
        margin-top: 1rem;
      }
      summary {
        cursor: pointer;
        min-height: 44px;
        display: flex;
        align-items: center;
        font-weight: 600;
        color: var(--hc-link);
      }
      tfoot th,
      tfoot td {
        font-weight: 600;
        border-top: 2px solid var(--hc-border);
      }
      form {
        max-width: 36rem;
      }
      .hint {
        font-size: 0.875rem;
        margin: 0.15rem 0 0;
      }
      .field-error {
        margin: 0.25rem 0 0;
        font-size: 0.9rem;
      }
      [aria-invalid='true'] {
        border-color: var(--hc-error);
        border-width: 2px;
      }
      .actions {
        margin-top: 1rem;
      }
      .audit {
        padding-left: 1.25rem;
      }
      .audit li {
        margin-bottom: 0.75rem;
      }
      .audit ul {
        padding-left: 1rem;
        margin: 0.25rem 0;
      }
      section {
        margin-top: 1.5rem;
      }
    `,
  ];

  private item: KpiItem | null = null;
  private itemError = '';
  private notFound = false;
  private series: Series | null = null;
  private seriesError = '';
  private breakdown: Breakdown | null = null;
  private breakdownError = '';
  private breakdownLoading = false;
  private sortKey: 'name' | 'value' = 'name';
  private sortDesc = false;
  private audit: AuditEntry[] | null = null;
  private definition: Definition | null = null;
  private message = '';
  private busy = false;
  private form = { targetValue: '', targetComparison: 'gte', targetDate: '', reason: '' };
  private fieldErrors: Partial<Record<Field, string>> = {};
  private formMessage = '';
  private formError = '';

  private period = isoWeekOf(today());
  private orgUnitId: string | null = null;
  private by: BreakdownBy | null = null;
  private weeks = 26;
  private seq = { item: 0, series: 0, breakdown: 0 };
  private offLangReload?: () => void;

  private get code(): string {
    return this.params.code ?? '';
  }

  private get allowed(): readonly BreakdownBy[] {
    return this.item?.breakdowns ?? [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const q = new URLSearchParams(location.search);
    const period = q.get('period');
    if (isPeriod(period)) this.period = period;
    this.orgUnitId = q.get('orgUnitId') || null;
    // checked against the KPI's own breakdowns once the KPI has loaded (itemThenBreakdown)
    this.by = q.get('by') as BreakdownBy | null;
    this.offLangReload = onLangChange(() => void this.loadAll());
    void this.loadAll();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offLangReload?.();
  }

  private syncUrl(): void {
    const url = `/admin/kpis/${encodeURIComponent(this.code)}${query({ period: this.period, orgUnitId: this.orgUnitId, by: this.by })}`;
    history.replaceState(null, '', url);
  }

  private loadAll(): Promise<unknown> {
    return Promise.all([this.itemThenBreakdown(), this.loadSeries(), this.loadTargetData()]);
  }

  /** The KPI names the dimensions it can be broken down by (the API's list), then its breakdown loads. */
  private async itemThenBreakdown(): Promise<void> {
    await this.loadItem();
    if (!this.item) return;
    if (!this.by || !this.allowed.includes(this.by)) this.by = this.allowed[0] ?? null;
    await this.loadBreakdown();
  }

  private async loadItem(): Promise<void> {
    const seq = ++this.seq.item;
    this.itemError = '';
    try {
      const items = await api.get<KpiItem[]>(`/v1/kpis${query({ period: this.period, orgUnitId: this.orgUnitId })}`);
      if (seq !== this.seq.item) return;
      this.item = items.find((i) => i.code === this.code) ?? null;
      this.notFound = !this.item;
    } catch (err) {
      if (seq !== this.seq.item) return;
      this.itemError = errorText(err);
    }
  }

  private async loadSeries(): Promise<void> {
    const seq = ++this.seq.series;
    this.seriesError = '';
    const to = lastWeekOf(this.period);
    const from = addWeeks(to, -(this.weeks - 1));
    try {
      const series = await api.get<Series>(
        `/v1/kpis/${encodeURIComponent(this.code)}/series${query({ from, to, orgUnitId: this.orgUnitId })}`,
      );
      if (seq === this.seq.series) this.series = series;
    } catch (err) {
      if (seq !== this.seq.series) return;
      if (err instanceof ApiError && err.status === 404 && err.code === 'KPI_NOT_FOUND') this.notFound = true;
      this.seriesError = errorText(err);
    }
  }

  private async loadBreakdown(): Promise<void> {
    if (!this.by) return;
    const seq = ++this.seq.breakdown;
    this.breakdownError = '';
    this.breakdownLoading = true;
    try {
      const b = await api.get<Breakdown>(
        `/v1/kpis/${encodeURIComponent(this.code)}/breakdown${query({ by: this.by, period: this.period, orgUnitId: this.orgUnitId })}`,
      );
      if (seq === this.seq.breakdown) this.breakdown = b;
    } catch (err) {
      if (seq === this.seq.breakdown) this.breakdownError = errorText(err);
    } finally {
      if (seq === this.seq.breakdown) this.breakdownLoading = false;
    }
  }

  private async loadTargetData(): Promise<void> {
    try {
      const [audit, definitions] = await Promise.all([
        api.get<AuditEntry[]>(`/v1/kpis/definitions/${encodeURIComponent(this.code)}/audit`),
        hasRole('province_admin') ? api.get<Definition[]>('/v1/kpis/definitions') : Promise.resolve(null),
      ]);
      this.audit = audit;
      const def = definitions?.find((d) => d.code === this.code) ?? null;
      this.definition = def;
      if (def) {
        this.form = {
          targetValue: def.targetValue === null ? '' : fmtNumberPlain(def.targetValue),
          targetComparison: def.targetComparison,
          targetDate: def.targetDate ? fmtDate(def.targetDate) : '',
          reason: '',
        };
      }
    } catch {
      this.audit = this.audit ?? [];
    }
  }

  private onFilter(e: CustomEvent<FilterChange>): void {
    this.period = e.detail.period;
    this.orgUnitId = e.detail.orgUnitId;
    this.syncUrl();
    this.message = t('kpi.loadingData');
    void Promise.all([this.itemThenBreakdown(), this.loadSeries()]).then(() => {
      const unit = this.item?.orgUnit.name ?? this.series?.orgUnit.name ?? '';
      this.message = t('kpi.updated', { unit, period: periodLabel(this.item?.period ?? this.period) });
    });
  }

  private onWeeks(e: Event): void {
    this.weeks = Number((e.target as HTMLSelectElement).value);
    void this.loadSeries();
  }

  private onBy(e: Event): void {
    this.by = (e.target as HTMLSelectElement).value as BreakdownBy;
    this.syncUrl();
    void this.loadBreakdown();
  }

  private sortBy(key: 'name' | 'value'): void {
    if (this.sortKey === key) this.sortDesc = !this.sortDesc;
    else {
      this.sortKey = key;
      this.sortDesc = key === 'value';
    }
  }

  private async exportBreakdown(): Promise<void> {
    if (!this.by) return;
    this.busy = true;
    this.message = t('kpi.exporting');
    try {
      const period = this.breakdown?.period ?? this.period;
      const file = await downloadCsv(
        csvPath({ period: this.period, orgUnitId: this.orgUnitId, by: this.by, code: this.code }),
        csvName(period, this.by, this.code),
      );
      this.message = t('kpi.exported', { file });
    } catch (err) {
      this.message = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  // ---- the target form ----

  private input(field: Field, e: Event): void {
    this.form = { ...this.form, [field]: (e.target as HTMLInputElement).value };
  }

  private validate(): { body: Record<string, unknown>; errors: Partial<Record<Field, string>> } {
    const errors: Partial<Record<Field, string>> = {};
    const unit = this.definition?.unit ?? this.item?.unit ?? 'people';
    const value = parseNumber(this.form.targetValue);
    if (value === null) errors.targetValue = t('kpi.detail.err.value');
    else if (unit === 'percent' && value > 100) errors.targetValue = t('kpi.detail.err.percent');
    const date = this.form.targetDate.trim() ? parseDate(this.form.targetDate) : null;
    if (this.form.targetDate.trim() && !date) errors.targetDate = t('kpi.detail.err.date');
    const reason = this.form.reason.trim();
    if (reason.length < 3 || reason.length > 500) errors.reason = t('kpi.detail.err.reason');
    return {
      body: { targetValue: value, targetComparison: this.form.targetComparison, targetDate: date, reason },
      errors,
    };
  }

  private async focusFirstError(): Promise<void> {
    await this.updateComplete;
    const order: Field[] = ['targetValue', 'targetComparison', 'targetDate', 'reason'];
    const first = order.find((f) => this.fieldErrors[f]);
    if (first) (this.renderRoot.querySelector(`#f-${first}`) as HTMLElement | null)?.focus();
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    this.formMessage = '';
    this.formError = '';
    const { body, errors } = this.validate();
    this.fieldErrors = errors;
    if (Object.keys(errors).length) {
      this.formError = t('kpi.detail.formErrors');
      void this.focusFirstError();
      return;
    }
    this.busy = true;
    try {
      await api.patch(`/v1/kpis/definitions/${encodeURIComponent(this.code)}`, body);
      await Promise.all([this.loadTargetData(), this.loadItem(), this.loadSeries()]);
      this.formMessage = t('kpi.detail.saved');
    } catch (err) {
      const fields: Partial<Record<Field, string>> = {};
      if (err instanceof ApiError) {
        for (const fe of err.errors) {
          const f = fe.field as Field;
          if (['targetValue', 'targetComparison', 'targetDate', 'reason'].includes(f)) fields[f] = fe.message;
        }
      }
      this.fieldErrors = fields;
      this.formError = Object.keys(fields).length ? t('kpi.detail.formErrors') : errorText(err);
      void this.focusFirstError();
    } finally {
      this.busy = false;
    }
  }

  private field(
    field: Field,
    label: string,
    hint: string,
    control: (describedBy: string, invalid: boolean) => unknown,
  ) {
    const err = this.fieldErrors[field];
    const describedBy = [hint ? `h-${field}` : '', err ? `e-${field}` : ''].filter(Boolean).join(' ');
    return html`<div>
      <label for="f-${field}">${label}</label>
      ${control(describedBy, !!err)}
      ${hint ? html`<p class="hint muted" id="h-${field}">${hint}</p>` : nothing}
      ${err ? html`<p class="field-error error" id="e-${field}">${err}</p>` : nothing}
    </div>`;
  }

  private targetForm() {
    const def = this.definition;
    if (def?.kind !== 'target') return nothing;
    const percent = def.unit === 'percent';
    return html`<h3>${t('kpi.detail.changeTarget')}</h3>
      <form @submit=${this.save} novalidate>
        ${this.field(
          'targetValue',
          t('kpi.detail.targetValue'),
          t(percent ? 'kpi.detail.targetValueHint.percent' : 'kpi.detail.targetValueHint.count'),
          (d, invalid) =>
            html`<input id="f-targetValue" inputmode="decimal" autocomplete="off" required .value=${this.form.targetValue}
              aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'}
              @input=${(e: Event) => this.input('targetValue', e)} />`,
        )}
        ${this.field(
          'targetComparison',
          t('kpi.detail.comparison'),
          '',
          (d, invalid) =>
            html`<select id="f-targetComparison" aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'}
              @change=${(e: Event) => this.input('targetComparison', e)}>
              ${(['gte', 'gt'] as const).map(
                (c) =>
                  html`<option value=${c} ?selected=${this.form.targetComparison === c}>${t(`kpi.detail.comparison.${c}`)}</option>`,
              )}
            </select>`,
        )}
        ${this.field(
          'targetDate',
          t('kpi.detail.targetDate'),
          t('kpi.detail.targetDateHint'),
          (d, invalid) =>
            html`<input id="f-targetDate" inputmode="numeric" autocomplete="off" placeholder="dd/mm/yyyy" .value=${this.form.targetDate}
              aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'}
              @input=${(e: Event) => this.input('targetDate', e)} />`,
        )}
        ${this.field(
          'reason',
          t('kpi.detail.reason'),
          t('kpi.detail.reasonHint'),
          (d, invalid) =>
            html`<textarea id="f-reason" rows="3" maxlength="500" required .value=${this.form.reason}
              aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'}
              @input=${(e: Event) => this.input('reason', e)}></textarea>`,
        )}
        <div class="actions">
          <button type="submit" ?disabled=${this.busy}>${this.busy ? t('kpi.detail.saving') : t('kpi.detail.save')}</button>
        </div>
        <div role="alert">${this.formError ? html`<p class="error">${this.formError}</p>` : nothing}</div>
        <p role="status" class="small">${this.formMessage}</p>
      </form>`;
  }

  private auditValue(field: keyof AuditState, s: AuditState, unit: KpiUnit): string {
    const v = s[field];
    if (v === null || v === undefined || v === '') return t('kpi.detail.none');
    if (field === 'targetValue') return fmtValue(unit, v as number);
    if (field === 'targetDate') return fmtDate(v as string);
    if (field === 'targetComparison') return t(`kpi.detail.comparison.${v as string}`);
    return String(v);
  }

  private auditList() {
    if (!this.audit) return html`<p class="muted">${t('common.loading')}</p>`;
    if (this.audit.length === 0) return html`<p class="muted">${t('kpi.detail.auditEmpty')}</p>`;
    const unit = this.definition?.unit ?? this.item?.unit ?? 'people';
    const fields: Array<keyof AuditState> = ['targetValue', 'targetComparison', 'targetDate', 'ownerName', 'params'];
    return html`<ol class="audit">
      ${this.audit.map((a) => {
        const changed = fields.filter(
          (f) => JSON.stringify(a.before?.[f] ?? null) !== JSON.stringify(a.after?.[f] ?? null),
        );
        return html`<li>
          <strong>${t('kpi.detail.auditBy', { at: fmtDateTime(a.changedAt), who: a.changedBy?.fullName ?? t('kpi.detail.auditSystem') })}</strong>
          ${a.reason ? html`<br />${t('kpi.detail.auditReason', { reason: a.reason })}` : nothing}
          ${
            changed.length
              ? html`<ul>
                ${changed.map(
                  (f) =>
                    html`<li>${
                      f === 'params'
                        ? `${t('kpi.detail.field.params')}: ${t('kpi.detail.changedParams')}`
                        : t('kpi.detail.change', {
                            field: t(`kpi.detail.field.${f}`),
                            before: this.auditValue(f, a.before ?? {}, unit),
                            after: this.auditValue(f, a.after ?? {}, unit),
                          })
                    }</li>`,
                )}
              </ul>`
              : nothing
          }
        </li>`;
      })}
    </ol>`;
  }

  // ---- sections ----

  private seriesSection() {
    const s = this.series;
    const weeksSelect = html`<div>
      <label for="weeks">${t('kpi.detail.weeks')}</label>
      <select id="weeks" @change=${this.onWeeks}>
        ${[12, 26, 52].map((n) => html`<option value=${n} ?selected=${n === this.weeks}>${t('kpi.detail.weeksN', { n })}</option>`)}
      </select>
    </div>`;
    const percent = s?.unit === 'percent';
    return html`<section aria-labelledby="series-h">
      <h2 id="series-h">${t('kpi.detail.series')}</h2>
      <div class="toolbar">${weeksSelect}</div>
      ${this.seriesError ? html`<p class="error" role="alert">${this.seriesError}</p>` : nothing}
      ${
        s
          ? html`<hc-kpi-chart
              .points=${s.points.map((p) => ({ period: p.period, value: p.noData ? null : p.value }))}
              .target=${s.target?.value ?? null}
              .unit=${s.unit}
              .label=${s.label}
            ></hc-kpi-chart>
            <details>
              <summary>${t('kpi.detail.table')}</summary>
              <div class="table-wrap" tabindex="0" role="region" aria-labelledby="series-caption">
                <table>
                  <caption id="series-caption">${t('kpi.detail.tableCaption', { label: s.label, unit: s.orgUnit.name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('kpi.detail.week')}</th>
                      <th scope="col" class="num">${t('kpi.detail.value')}</th>
                      ${percent ? html`<th scope="col" class="num">${t('kpi.detail.numerator')}</th><th scope="col" class="num">${t('kpi.detail.denominator')}</th>` : nothing}
                      <th scope="col">${t('kpi.detail.state')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${[...s.points].reverse().map(
                      (p) => html`<tr>
                        <th scope="row">${periodLabel(p.period)}</th>
                        <td class="num">${p.computed ? fmtValue(s.unit, p.noData ? null : p.value) : '—'}</td>
                        ${percent ? html`<td class="num">${fmtCount(p.numerator)}</td><td class="num">${fmtCount(p.denominator)}</td>` : nothing}
                        <td>
                          ${p.status ? t(`kpi.status.${p.status}`) : t('kpi.detail.notComputed')}
                          ${p.late ? html`(${t('kpi.detail.late')})` : nothing}
                        </td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
            </details>`
          : this.seriesError
            ? nothing
            : html`<p class="muted">${t('common.loading')}</p>`
      }
    </section>`;
  }

  private sortHeader(key: 'name' | 'value', label: string, cls = '') {
    const active = this.sortKey === key;
    const sort = active ? (this.sortDesc ? 'descending' : 'ascending') : 'none';
    return html`<th scope="col" class=${cls} aria-sort=${sort}>
      <button type="button" class="sort" @click=${() => this.sortBy(key)}>
        ${label}<span aria-hidden="true">${active ? (this.sortDesc ? ' ▼' : ' ▲') : ' ↕'}</span>
      </button>
    </th>`;
  }

  private sortedRows(b: Breakdown): BreakdownRow[] {
    const dir = this.sortDesc ? -1 : 1;
    return [...b.rows].sort((x, y) => {
      if (this.sortKey === 'value') {
        if (x.value === null && y.value === null) return x.name.localeCompare(y.name, 'vi');
        if (x.value === null) return 1;
        if (y.value === null) return -1;
        if (x.value !== y.value) return (x.value - y.value) * dir;
        return x.name.localeCompare(y.name, 'vi');
      }
      return x.name.localeCompare(y.name, 'vi') * dir;
    });
  }

  private breakdownSection() {
    if (!this.allowed.length) return nothing;
    const b = this.breakdown;
    const percent = b?.unit === 'percent';
    const byLabel = (by: BreakdownBy) => t(`kpi.detail.by.${by}`);
    return html`<section aria-labelledby="breakdown-h">
      <h2 id="breakdown-h">${t('kpi.detail.breakdown')}</h2>
      <div class="toolbar">
        <div>
          <label for="by">${t('kpi.detail.by')}</label>
          <select id="by" @change=${this.onBy}>
            ${this.allowed.map((by) => html`<option value=${by} ?selected=${by === this.by}>${byLabel(by)}</option>`)}
          </select>
        </div>
        <button type="button" class="secondary" @click=${this.exportBreakdown} ?disabled=${this.busy || !b}>
          ${t('kpi.detail.exportBreakdown')}
        </button>
      </div>
      ${this.breakdownError ? html`<p class="error" role="alert">${this.breakdownError}</p>` : nothing}
      ${
        b
          ? html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="breakdown-caption"
              aria-busy=${this.breakdownLoading ? 'true' : 'false'}>
            <table>
              <caption id="breakdown-caption">${t('kpi.detail.breakdownCaption', { label: b.label, by: byLabel(b.by).toLowerCase(), period: periodLabel(b.period) })}</caption>
              <thead>
                <tr>
                  ${this.sortHeader('name', t('kpi.detail.name'))}
                  ${this.sortHeader('value', t('kpi.detail.value'), 'num')}
                  ${percent ? html`<th scope="col" class="num">${t('kpi.detail.numerator')}</th><th scope="col" class="num">${t('kpi.detail.denominator')}</th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${
                  b.rows.length === 0
                    ? html`<tr><td colspan=${percent ? 4 : 2}>${t('kpi.detail.noRows')}</td></tr>`
                    : this.sortedRows(b).map(
                        (r) => html`<tr>
                          <th scope="row">
                            ${r.orgUnitId ? html`<a href=${detailHref(this.code, this.period, r.orgUnitId)}>${r.name}</a>` : r.name}
                          </th>
                          <td class="num">${r.noData ? t('kpi.noData') : fmtValue(b.unit, r.value)}</td>
                          ${percent ? html`<td class="num">${fmtCount(r.numerator)}</td><td class="num">${fmtCount(r.denominator)}</td>` : nothing}
                        </tr>`,
                      )
                }
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">${t('kpi.detail.total', { unit: b.orgUnit.name })}</th>
                  <td class="num">${b.total.noData ? t('kpi.noData') : fmtValue(b.unit, b.total.value)}</td>
                  ${percent ? html`<td class="num">${fmtCount(b.total.numerator)}</td><td class="num">${fmtCount(b.total.denominator)}</td>` : nothing}
                </tr>
              </tfoot>
            </table>
          </div>`
          : this.breakdownError
            ? nothing
            : html`<p class="muted">${t('common.loading')}</p>`
      }
    </section>`;
  }

  override render() {
    const item = this.item;
    const label = item?.label ?? this.series?.label ?? '';
    this.setTitle(label || t('kpi.dashboard.title'));
    const back = html`<a class="back" href=${`/admin${query({ period: this.period, orgUnitId: this.orgUnitId })}`}>${t('kpi.backToDashboard')}</a>`;
    if (this.notFound) {
      return html`${back}
        <h1>${t('kpi.detail.notFound')}</h1>`;
    }
    const unit = item?.orgUnit ?? this.series?.orgUnit ?? null;
    return html`
      ${back}
      <h1>${label || t('common.loading')}</h1>
      ${unit ? html`<p class="sub muted">${t('kpi.dashboard.for', { unit: unit.name, period: periodLabel(item?.period ?? this.period) })}</p>` : nothing}
      ${item?.description ? html`<p class="desc">${item.description}</p>` : nothing}
      <hc-kpi-filters
        .period=${this.period}
        .orgUnitId=${this.orgUnitId}
        .unit=${unit}
        @kpi-change=${this.onFilter}
      ></hc-kpi-filters>
      <p class="muted small" role="status" aria-live="polite">${this.message}</p>
      ${
        this.itemError
          ? html`<div class="error-box" role="alert">
            <p class="error">${this.itemError}</p>
            <button type="button" @click=${() => this.loadAll()}>${t('common.retry')}</button>
          </div>`
          : nothing
      }
      ${item ? html`<div class="current">${kpiCard(item, { headingLevel: 2, title: t('kpi.detail.current') })}</div>` : nothing}
      ${this.seriesSection()} ${this.breakdownSection()}
      <section aria-labelledby="target-h">
        <h2 id="target-h">${t('kpi.detail.targetSection')}</h2>
        ${this.targetForm()}
        <h3>${t('kpi.detail.audit')}</h3>
        ${this.auditList()}
      </section>
    `;
  }
}

/** A number for an input, Vietnamese style without grouping of small numbers: 72,5 · 3.000. */
function fmtNumberPlain(v: number): string {
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(v);
}

customElements.define('hc-kpi-detail-page', KpiDetailPage);
