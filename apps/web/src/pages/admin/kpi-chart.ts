import { css, html, LitElement, nothing, unsafeCSS } from 'lit';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css' with { type: 'text' };
import { fmtNumber, onLangChange, register, t } from '../../i18n';
import { base } from '../../ui/styles';
import { fmtValue, type KpiUnit, periodLabel } from './kpi-shared';
import { weekNumber } from './period';

register(
  { 'kpi.chart.summary': 'Biểu đồ {label} theo tuần, từ {from} đến {to}. Mới nhất: {last}. Mục tiêu: {target}.' },
  { 'kpi.chart.summary': 'Weekly chart of {label}, from {from} to {to}. Latest: {last}. Target: {target}.' },
);

export interface ChartPoint {
  period: string;
  value: number | null;
}

/**
 * A KPI week by week with its target as a dashed line, drawn by uPlot (canvas, ~20 KB gzipped) in
 * this element's shadow root — uPlot's stylesheet is bundled as text and adopted here. The chart is
 * an image for assistive technology (role="img" with a summary); the page shows the same points in
 * a table. Only the KPI detail page imports this module, so the catalogue bundle never carries it.
 */
export class KpiChart extends LitElement {
  static override properties = {
    points: { attribute: false },
    target: { attribute: false },
    unit: {},
    label: {},
    hover: { state: true },
  };
  static override styles = [
    base,
    unsafeCSS(uPlotCss),
    css`
      .plot {
        width: 100%;
        min-height: 260px;
      }
      .uplot {
        font-family: inherit;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1.25rem;
        margin: 0.5rem 0 0;
        padding: 0;
        list-style: none;
        font-size: 0.875rem;
      }
      .swatch {
        display: inline-block;
        width: 1.5rem;
        height: 0;
        vertical-align: middle;
        margin-right: 0.4rem;
        border-top: 3px solid var(--hc-primary);
      }
      .swatch.target {
        border-top: 3px dashed var(--hc-focus);
      }
      .readout {
        min-height: 1.5em;
        margin: 0.25rem 0 0;
        font-size: 0.875rem;
      }
    `,
  ];

  points: ChartPoint[] = [];
  target: number | null = null;
  unit: KpiUnit = 'people';
  label = '';
  private hover = '';
  private plot?: uPlot;
  private resize?: ResizeObserver;
  private offLang?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.offLang = onLangChange(() => {
      this.build();
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offLang?.();
    this.resize?.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('points') || changed.has('target') || changed.has('unit')) this.build();
  }

  private get box(): HTMLElement | null {
    return this.renderRoot.querySelector('.plot');
  }

  private color(name: string, fallback: string): string {
    return getComputedStyle(this).getPropertyValue(name).trim() || fallback;
  }

  private build(): void {
    const box = this.box;
    if (!box) return;
    this.plot?.destroy();
    const xs = this.points.map((_, i) => i);
    const ys = this.points.map((p) => p.value);
    const values = ys.filter((v): v is number => v !== null);
    const top = Math.max(this.target ?? 0, ...values, 1);
    const yMax = this.unit === 'percent' ? Math.min(100, Math.ceil((top * 1.1) / 5) * 5 || 5) : top * 1.1;
    const text = this.color('--hc-text', '#1a1a1a');
    const grid = '#e4e8ee';
    const primary = this.color('--hc-primary', '#0b5394');
    const targetColour = this.color('--hc-focus', '#b45309');
    const series: uPlot.Series[] = [
      {},
      {
        label: this.label,
        stroke: primary,
        width: 2,
        spanGaps: false,
        points: { show: true, size: 6, fill: primary },
      },
    ];
    const data: uPlot.AlignedData = [xs, ys];
    if (this.target !== null) {
      series.push({ label: t('kpi.target'), stroke: targetColour, width: 2, dash: [8, 6], points: { show: false } });
      data.push(xs.map(() => this.target));
    }
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(280, box.clientWidth),
      height: 260,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] }, y: { range: [0, yMax] } },
      series,
      axes: [
        {
          ...axis,
          space: 44,
          incrs: [1, 2, 3, 4, 6, 8, 13, 26],
          values: (_u, splits) =>
            splits.map((i) => {
              const p = this.points[i];
              return p && Number.isInteger(i) ? t('kpi.label.weekTick', { n: weekNumber(p.period) }) : '';
            }),
        },
        {
          ...axis,
          size: 64,
          values: (_u, splits) =>
            splits.map((v) => (this.unit === 'percent' ? `${fmtNumber(v, 1)}\u00a0%` : fmtNumber(v, 1))),
        },
      ],
      hooks: {
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            const p = i === null || i === undefined ? undefined : this.points[i];
            this.hover = p ? `${periodLabel(p.period, true)}: ${fmtValue(this.unit, p.value)}` : '';
          },
        ],
      },
    };
    this.plot = new uPlot(opts, data, box);
    if (!this.resize) {
      this.resize = new ResizeObserver(() => {
        const width = this.box?.clientWidth ?? 0;
        if (this.plot && width > 0 && Math.abs(width - this.plot.width) > 1) {
          this.plot.setSize({ width: Math.max(280, width), height: 260 });
        }
      });
      this.resize.observe(box);
    }
  }

  /** What a screen reader hears for the chart: range, latest value, target. */
  private summary(): string {
    const first = this.points[0];
    const last = [...this.points].reverse().find((p) => p.value !== null);
    if (!first) return this.label;
    return t('kpi.chart.summary', {
      label: this.label,
      from: periodLabel(first.period, true),
      to: periodLabel(this.points[this.points.length - 1].period, true),
      last: last ? `${periodLabel(last.period, true)}: ${fmtValue(this.unit, last.value)}` : t('kpi.noData'),
      target: this.target === null ? '—' : fmtValue(this.unit, this.target),
    });
  }

  override render() {
    return html`
      <div class="plot" role="img" aria-label=${this.summary()}></div>
      <p class="readout muted" aria-hidden="true">${this.hover}</p>
      <ul class="legend">
        <li><span class="swatch" aria-hidden="true"></span>${this.label}</li>
        ${this.target !== null ? html`<li><span class="swatch target" aria-hidden="true"></span>${t('kpi.target')}: ${fmtValue(this.unit, this.target)}</li>` : nothing}
      </ul>
    `;
  }
}

customElements.define('hc-kpi-chart', KpiChart);
