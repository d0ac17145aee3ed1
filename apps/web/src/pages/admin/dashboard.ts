import { css, html, nothing } from 'lit';
import { api } from '../../api';
import { onLangChange, register, t } from '../../i18n';
import { Page } from '../../ui/page';
import { base } from '../../ui/styles';
import './kpi-filters';
import type { FilterChange } from './kpi-filters';
import {
  csvName,
  csvPath,
  detailHref,
  downloadCsv,
  errorText,
  fmtValue,
  type KpiItem,
  kpiCard,
  kpiStyles,
  periodLabel,
  query,
  statusLine,
  trendText,
} from './kpi-shared';
import { isPeriod, isoWeekOf, today } from './period';

register(
  {
    'kpi.dashboard.targets': 'Mục tiêu của tỉnh',
    'kpi.dashboard.activity': 'Hoạt động học tập',
    'kpi.dashboard.activityCaption': 'Số liệu hoạt động, {period}',
    'kpi.dashboard.figure': 'Chỉ số',
    'kpi.dashboard.value': 'Giá trị',
    'kpi.dashboard.change': 'So với kỳ trước',
    'kpi.dashboard.exportLabel': 'Tải CSV bảng chỉ tiêu',
    'kpi.dashboard.empty': 'Chưa có chỉ tiêu nào.',
  },
  {
    'kpi.dashboard.targets': 'Province targets',
    'kpi.dashboard.activity': 'Learning activity',
    'kpi.dashboard.activityCaption': 'Activity figures, {period}',
    'kpi.dashboard.figure': 'Figure',
    'kpi.dashboard.value': 'Value',
    'kpi.dashboard.change': 'Compared with the previous period',
    'kpi.dashboard.exportLabel': 'Download the dashboard as CSV',
    'kpi.dashboard.empty': 'No KPIs yet.',
  },
);

/**
 * /admin — the KPI dashboard of a province or unit admin: a period and a unit, one card per target
 * (value, target and deadline, on-track, trend, forecast, status) and the activity figures as a table.
 */
export class KpiDashboardPage extends Page {
  static override properties = {
    ...Page.properties,
    items: { state: true },
    loading: { state: true },
    error: { state: true },
    message: { state: true },
    exporting: { state: true },
  };
  static override styles = [
    base,
    kpiStyles,
    css`
      .activity th[scope='row'] {
        min-width: 10rem;
      }
      .activity td:last-child {
        min-width: 12rem;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: flex-end;
        justify-content: space-between;
      }
    `,
  ];

  private items: KpiItem[] | null = null;
  private loading = false;
  private error = '';
  private message = '';
  private exporting = false;
  private period = isoWeekOf(today());
  private orgUnitId: string | null = null;
  private seq = 0;
  private offLangReload?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    const q = new URLSearchParams(location.search);
    const period = q.get('period');
    if (isPeriod(period)) this.period = period;
    this.orgUnitId = q.get('orgUnitId') || null;
    this.offLangReload = onLangChange(() => void this.load());
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offLangReload?.();
  }

  private async load(announce = false): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    this.error = '';
    if (announce) this.message = t('kpi.loadingData');
    try {
      const items = await api.get<KpiItem[]>(`/v1/kpis${query({ period: this.period, orgUnitId: this.orgUnitId })}`);
      if (seq !== this.seq) return;
      this.items = items;
      if (announce && items[0]) {
        this.message = t('kpi.updated', { unit: items[0].orgUnit.name, period: periodLabel(items[0].period) });
      }
    } catch (err) {
      if (seq !== this.seq) return;
      this.error = errorText(err);
      this.message = '';
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  private onFilter(e: CustomEvent<FilterChange>): void {
    this.period = e.detail.period;
    this.orgUnitId = e.detail.orgUnitId;
    history.replaceState(null, '', `/admin${query({ period: this.period, orgUnitId: this.orgUnitId })}`);
    void this.load(true);
  }

  private async exportCsv(): Promise<void> {
    this.exporting = true;
    this.message = t('kpi.exporting');
    try {
      const file = await downloadCsv(
        csvPath({ period: this.period, orgUnitId: this.orgUnitId }),
        csvName(this.items?.[0]?.period ?? this.period),
      );
      this.message = t('kpi.exported', { file });
    } catch (err) {
      this.message = errorText(err);
    } finally {
      this.exporting = false;
    }
  }

  private activityTable(items: KpiItem[]) {
    if (items.length === 0) return nothing;
    return html`<section aria-labelledby="activity-h">
      <h2 id="activity-h">${t('kpi.dashboard.activity')}</h2>
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="activity-caption">
        <table class="activity">
          <caption class="sr-only" id="activity-caption">${t('kpi.dashboard.activityCaption', { period: periodLabel(items[0].period) })}</caption>
          <thead>
            <tr>
              <th scope="col">${t('kpi.dashboard.figure')}</th>
              <th scope="col" class="num">${t('kpi.dashboard.value')}</th>
              <th scope="col">${t('kpi.dashboard.change')}</th>
            </tr>
          </thead>
          <tbody>
            ${items.map(
              (i) => html`<tr>
                <th scope="row"><a href=${detailHref(i.code, this.period, this.orgUnitId)}>${i.label}</a></th>
                <td class="num">${i.noData ? t('kpi.noData') : fmtValue(i.unit, i.value)}</td>
                <td class="trend-${i.trend.direction ?? 'none'}">${trendText(i)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="muted small">${statusLine(items[0])}</p>
    </section>`;
  }

  override render() {
    this.setTitle(t('kpi.dashboard.title'));
    const items = this.items ?? [];
    const targets = items.filter((i) => i.kind === 'target');
    const activity = items.filter((i) => i.kind === 'activity');
    const unit = items[0]?.orgUnit ?? null;
    return html`
      <div class="head">
        <div>
          <h1>${t('kpi.dashboard.title')}</h1>
          ${unit ? html`<p class="sub muted">${t('kpi.dashboard.for', { unit: unit.name, period: periodLabel(items[0].period) })}</p>` : nothing}
        </div>
        <button
          type="button"
          class="secondary"
          @click=${this.exportCsv}
          ?disabled=${this.exporting || !this.items}
          aria-label=${t('kpi.dashboard.exportLabel')}
        >
          ${t('kpi.export')}
        </button>
      </div>
      <hc-kpi-filters
        .period=${this.period}
        .orgUnitId=${this.orgUnitId}
        .unit=${unit}
        @kpi-change=${this.onFilter}
      ></hc-kpi-filters>
      <p class="muted small" role="status" aria-live="polite">${this.loading && !this.items ? t('common.loading') : this.message}</p>
      ${
        this.error
          ? html`<div class="error-box" role="alert">
            <p class="error">${this.error}</p>
            <button type="button" @click=${() => this.load(true)}>${t('common.retry')}</button>
          </div>`
          : nothing
      }
      ${
        this.items
          ? html`<div aria-busy=${this.loading ? 'true' : 'false'}>
            ${items.length === 0 ? html`<p>${t('kpi.dashboard.empty')}</p>` : nothing}
            ${
              targets.length
                ? html`<section aria-labelledby="targets-h">
                  <h2 id="targets-h">${t('kpi.dashboard.targets')}</h2>
                  <div class="cards">
                    ${targets.map((i) => kpiCard(i, { headingLevel: 3, href: detailHref(i.code, this.period, this.orgUnitId) }))}
                  </div>
                </section>`
                : nothing
            }
            ${this.activityTable(activity)}
          </div>`
          : nothing
      }
    `;
  }
}

customElements.define('hc-kpi-dashboard-page', KpiDashboardPage);
