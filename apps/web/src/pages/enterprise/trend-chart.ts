import { html, svg } from 'lit';
import { fmtNumber, t } from '../../i18n';

export interface TrendPoint {
  isoWeek: string;
  weekStart: string;
  label: string;
  activeWorkers: number;
  coveredWorkers: number;
  coverage: number | null;
  compliant: boolean;
}

const W = 360;
const H = 220;
const LEFT = 38;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 40;

/**
 * Weekly coverage as bars (0–100 %), the θ threshold as a dashed line; an accessible summary on the
 * <svg> and the same figures as a table under a <details>.
 */
export function trendChart(points: TrendPoint[], threshold: number | null, summaryLabel: string) {
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(4, slot * 0.65);
  const y = (v: number) => TOP + plotH - v * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return html`
    <svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label=${summaryLabel} style="max-width:40rem;display:block">
      ${ticks.map(
        (v) => svg`<line x1=${LEFT} x2=${W - RIGHT} y1=${y(v)} y2=${y(v)} stroke="#d1d5db" stroke-width="1" />
          <text x=${LEFT - 4} y=${y(v) + 4} text-anchor="end" font-size="10" fill="#374151">${fmtNumber(v * 100, 0)}%</text>`,
      )}
      ${points.map((p, i) => {
        const x = LEFT + i * slot + (slot - barW) / 2;
        const v = p.coverage ?? 0;
        const week = p.isoWeek.slice(-3);
        return svg`
          ${
            p.coverage === null
              ? svg`<text x=${x + barW / 2} y=${y(0) - 4} text-anchor="middle" font-size="10" fill="#6b7280">–</text>`
              : svg`<rect x=${x} y=${y(v)} width=${barW} height=${Math.max(0, plotH * v)} rx="2"
                  fill=${p.compliant ? '#15803d' : '#b45309'} />`
          }
          <text x=${x + barW / 2} y=${H - BOTTOM + 14} text-anchor="middle" font-size="10" fill="#374151">${week}</text>`;
      })}
      ${
        threshold !== null
          ? svg`<line x1=${LEFT} x2=${W - RIGHT} y1=${y(threshold)} y2=${y(threshold)} stroke="#1d4ed8"
              stroke-width="2" stroke-dasharray="6 4" />`
          : ''
      }
      <g font-size="10" fill="#374151">
        <rect x=${LEFT} y=${H - 16} width="10" height="10" fill="#15803d" />
        <text x=${LEFT + 14} y=${H - 7}>${t('ent.chart.compliant')}</text>
        <rect x=${LEFT + 110} y=${H - 16} width="10" height="10" fill="#b45309" />
        <text x=${LEFT + 124} y=${H - 7}>${t('ent.chart.notCompliant')}</text>
        ${
          threshold !== null
            ? svg`<line x1=${LEFT + 232} x2=${LEFT + 252} y1=${H - 11} y2=${H - 11} stroke="#1d4ed8" stroke-width="2"
                stroke-dasharray="6 4" />
              <text x=${LEFT + 256} y=${H - 7}>θ ${fmtNumber(threshold * 100, 0)}%</text>`
            : ''
        }
      </g>
    </svg>
  `;
}
