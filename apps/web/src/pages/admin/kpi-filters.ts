import { css, html, LitElement, nothing } from 'lit';
import { api, currentUser, hasRole } from '../../api';
import { onLangChange, t } from '../../i18n';
import { base } from '../../ui/styles';
import { type OrgUnitRef, periodLabel } from './kpi-shared';
import { kindOf, type PeriodKind, periodContaining, recentPeriods, today } from './period';

type Level = 'province' | 'commune' | 'agency' | 'park' | 'enterprise' | 'other';

const LEVEL_KINDS: Record<Exclude<Level, 'province' | 'other'>, string[]> = {
  commune: ['commune', 'ward'],
  agency: ['agency'],
  park: ['industrial_park'],
  enterprise: ['enterprise'],
};

function levelOf(kind: string | undefined): Level {
  if (!kind || kind === 'province') return 'province';
  for (const [level, kinds] of Object.entries(LEVEL_KINDS)) if (kinds.includes(kind)) return level as Level;
  return 'other';
}

interface UnitRow extends OrgUnitRef {
  parentId: string | null;
}

/** Units by kind or parent, fetched once per page load (the list endpoint pages by 100). */
const unitCache = new Map<string, Promise<UnitRow[]>>();

function loadUnits(params: { kind?: string; parentId?: string }): Promise<UnitRow[]> {
  const key = JSON.stringify(params);
  let found = unitCache.get(key);
  if (!found) {
    found = (async () => {
      const out: UnitRow[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page++) {
        const q = new URLSearchParams({ limit: '100' });
        if (params.kind) q.set('kind', params.kind);
        if (params.parentId) q.set('parentId', params.parentId);
        if (cursor) q.set('cursor', cursor);
        const res: { items: UnitRow[]; nextCursor: string | null } = await api.get(`/v1/org-units?${q}`);
        out.push(...res.items);
        cursor = res.nextCursor;
        if (!cursor) break;
      }
      return out;
    })();
    found.catch(() => unitCache.delete(key));
    unitCache.set(key, found);
  }
  return found;
}

const byName = (units: UnitRow[]) => [...units].sort((a, b) => a.name.localeCompare(b.name, 'vi'));

export interface FilterChange {
  period: string;
  orgUnitId: string | null;
}

/**
 * The period picker (week, month, quarter, year) and the unit picker: province admins choose a level
 * (province, commune or ward, agency, park, enterprise) then a unit; an org admin their own unit or
 * one just below it. Fires `kpi-change` with {period, orgUnitId}.
 */
export class KpiFilters extends LitElement {
  static override properties = {
    period: {},
    orgUnitId: { attribute: false },
    unit: { attribute: false },
    units: { state: true },
    level: { state: true },
    loadingUnits: { state: true },
    unitsError: { state: true },
  };
  static override styles = [
    base,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr));
        gap: 0 1rem;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      label {
        margin-top: 0.5rem;
      }
      .small {
        font-size: 0.875rem;
      }
    `,
  ];

  period = '';
  orgUnitId: string | null = null;
  /** the unit the figures are for (from the API), to show it selected */
  unit: OrgUnitRef | null = null;
  private units: UnitRow[] = [];
  private level: Level = 'province';
  private loadingUnits = false;
  private unitsError = '';
  private levelKey = '';
  private offLang?: () => void;

  private get province(): boolean {
    return hasRole('province_admin');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.offLang = onLangChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offLang?.();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('unit') && this.unit) {
      if (this.province) {
        // A unit chosen elsewhere (a breakdown row) selects its level.
        const level = this.orgUnitId ? levelOf(this.unit.kind) : 'province';
        if (level !== this.level || !this.levelKey) void this.showLevel(level);
      } else if (!this.levelKey) {
        void this.showChildren();
      }
    }
  }

  private async fetchUnits(key: string, loader: () => Promise<UnitRow[]>): Promise<void> {
    this.levelKey = key;
    this.loadingUnits = true;
    this.unitsError = '';
    try {
      const units = await loader();
      if (this.levelKey !== key) return;
      this.units = units;
    } catch {
      if (this.levelKey === key) this.unitsError = t('common.error');
    } finally {
      if (this.levelKey === key) this.loadingUnits = false;
    }
  }

  private async showLevel(level: Level): Promise<void> {
    this.level = level;
    if (level === 'province' || level === 'other') {
      this.levelKey = level;
      this.units = [];
      return;
    }
    await this.fetchUnits(level, async () =>
      byName((await Promise.all(LEVEL_KINDS[level].map((kind) => loadUnits({ kind })))).flat()),
    );
  }

  /** An org admin: their own unit and the units just below it. */
  private async showChildren(): Promise<void> {
    const own = currentUser()?.orgUnitId;
    if (!own) return;
    await this.fetchUnits('children', async () => {
      const [self, children] = await Promise.all([
        api.get<UnitRow>(`/v1/org-units/${own}`).catch(() => null),
        loadUnits({ parentId: own }),
      ]);
      // Their own unit first, then the ones below it by name.
      return [...(self ? [self] : []), ...byName(children)];
    });
  }

  private emit(change: Partial<FilterChange>): void {
    const detail: FilterChange = { period: this.period, orgUnitId: this.orgUnitId, ...change };
    this.dispatchEvent(new CustomEvent<FilterChange>('kpi-change', { detail, bubbles: true, composed: true }));
  }

  private onKind(e: Event): void {
    const kind = (e.target as HTMLSelectElement).value as PeriodKind;
    this.emit({ period: periodContaining(kind, today()) });
  }

  private onPeriod(e: Event): void {
    this.emit({ period: (e.target as HTMLSelectElement).value });
  }

  private onLevel(e: Event): void {
    const level = (e.target as HTMLSelectElement).value as Level;
    void this.showLevel(level);
    if (level === 'province') this.emit({ orgUnitId: null });
  }

  private onUnit(e: Event): void {
    const id = (e.target as HTMLSelectElement).value;
    if (!id) return;
    const own = currentUser()?.orgUnitId;
    this.emit({ orgUnitId: !this.province && id === own ? null : id });
  }

  private periodSelects() {
    const kind = kindOf(this.period) ?? 'week';
    const options = recentPeriods(kind);
    if (!options.includes(this.period)) options.unshift(this.period);
    return html`
      <div>
        <label for="period-kind">${t('kpi.periodKind')}</label>
        <select id="period-kind" @change=${this.onKind}>
          ${(['week', 'month', 'quarter', 'year'] as const).map(
            (k) => html`<option value=${k} ?selected=${k === kind}>${t(`kpi.kind.${k}`)}</option>`,
          )}
        </select>
      </div>
      <div>
        <label for="period">${t('kpi.period')}</label>
        <select id="period" @change=${this.onPeriod}>
          ${options.map((p) => html`<option value=${p} ?selected=${p === this.period}>${periodLabel(p)}</option>`)}
        </select>
      </div>
    `;
  }

  private unitOptions(selected: string) {
    const units = [...this.units];
    if (this.unit && this.orgUnitId && !units.some((u) => u.id === this.unit?.id)) {
      units.unshift({ ...this.unit, parentId: null });
    }
    return html`
      ${selected ? nothing : html`<option value="" selected>${t('kpi.unit.choose')}</option>`}
      ${units.map((u) => html`<option value=${u.id} ?selected=${u.id === selected}>${u.name}</option>`)}
    `;
  }

  private unitSelects() {
    const busy = this.loadingUnits;
    const note = busy
      ? html`<p class="muted small" role="status">${t('kpi.unit.loading')}</p>`
      : this.unitsError
        ? html`<p class="error small" role="alert">${this.unitsError}</p>`
        : nothing;
    if (!this.province) {
      const selected = this.orgUnitId ?? currentUser()?.orgUnitId ?? '';
      return html`<div>
        <label for="unit">${t('kpi.unit')}</label>
        <select id="unit" @change=${this.onUnit} aria-busy=${busy ? 'true' : 'false'}>${this.unitOptions(selected)}</select>
        ${note}
      </div>`;
    }
    const levels: Level[] = ['province', 'commune', 'agency', 'park', 'enterprise'];
    if (this.level === 'other') levels.push('other');
    const sameLevel = this.orgUnitId && this.unit && levelOf(this.unit.kind) === this.level;
    return html`
      <div>
        <label for="unit-level">${t('kpi.unitLevel')}</label>
        <select id="unit-level" @change=${this.onLevel}>
          ${levels.map((l) => html`<option value=${l} ?selected=${l === this.level}>${t(`kpi.level.${l}`)}</option>`)}
        </select>
      </div>
      ${
        this.level === 'province'
          ? nothing
          : html`<div>
            <label for="unit">${t('kpi.unit')}</label>
            <select id="unit" @change=${this.onUnit} aria-busy=${busy ? 'true' : 'false'}>
              ${this.unitOptions(sameLevel ? (this.orgUnitId ?? '') : '')}
            </select>
            ${note}
          </div>`
      }
    `;
  }

  override render() {
    return html`<fieldset>
      <legend class="sr-only">${t('kpi.filters')}</legend>
      <div class="grid">${this.periodSelects()} ${this.unitSelects()}</div>
    </fieldset>`;
  }
}

customElements.define('hc-kpi-filters', KpiFilters);
