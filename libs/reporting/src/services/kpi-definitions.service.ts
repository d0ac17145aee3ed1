import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, hasRole, Role } from '@hocso/common';
import { QueueService } from '@hocso/queue';
import { isLocalDate } from '@hocso/workforce';
import type { DataSource, EntityManager } from 'typeorm';
import { ReportingException, ReportingExceptionCode } from '../reporting.exception';
import { refreshOpenWeek } from './refresh';

export type KpiUnit = 'people' | 'percent' | 'hours' | 'count';

export enum KpiCode {
  TotTrainers = 'TOT_TRAINERS',
  OfficialsTrained = 'OFFICIALS_TRAINED',
  EnterpriseWeeklyHour = 'ENTERPRISE_WEEKLY_HOUR',
  CitizensOnlineServices = 'CITIZENS_ONLINE_SERVICES',
  AiBasics = 'AI_BASICS',
  LearnersRegistered = 'LEARNERS_REGISTERED',
  LearnersActive30d = 'LEARNERS_ACTIVE_30D',
  LearningHours = 'LEARNING_HOURS',
  Completions = 'COMPLETIONS',
  Certificates = 'CERTIFICATES',
}

export interface KpiParams {
  /** TOT_TRAINERS: the levels that count toward the target */
  levels?: Array<'master' | 'core' | 'community'>;
  /** the course set a person must have completed (all of it) */
  courseSlugs?: string[];
  /** age band at the snapshot year (inclusive) */
  ageMin?: number;
  ageMax?: number;
  /** population_stat metric used as the denominator */
  denominatorMetric?: 'population' | 'working_age' | 'ai_target_age';
  /** ENTERPRISE_WEEKLY_HOUR: share of the period's weeks an enterprise must be compliant in (φ) */
  periodShare?: number;
  /** LEARNERS_ACTIVE_30D: window length in days */
  days?: number;
}

export interface KpiDefinition {
  code: string;
  kind: 'target' | 'activity';
  label: { vi: string; en: string };
  description: { vi: string; en: string };
  formula: string;
  unit: KpiUnit;
  targetValue: number | null;
  /** 'gt' for "more than 80 %", 'gte' for "at least" */
  targetComparison: 'gte' | 'gt';
  targetDate: string | null;
  period: 'week' | 'month' | 'quarter' | 'year';
  ownerName: string | null;
  ownerUnitId: string | null;
  params: KpiParams;
  position: number;
  updatedAt: string;
}

export interface KpiDefinitionChange {
  targetValue?: number | null;
  targetComparison?: 'gte' | 'gt';
  targetDate?: string | null;
  ownerName?: string | null;
  params?: KpiParams;
  reason: string;
}

interface DefinitionRow {
  code: string;
  kind: 'target' | 'activity';
  label_vi: string;
  label_en: string;
  description_vi: string;
  description_en: string;
  formula: string;
  unit: KpiUnit;
  target_value: string | null;
  target_comparison: 'gte' | 'gt';
  target_date: string | null;
  period: KpiDefinition['period'];
  owner_name: string | null;
  owner_unit_id: string | null;
  params: KpiParams;
  position: number;
  updated_at: Date;
}

/** Dates leave PostgreSQL as text (to_char), never as JS Dates shifted by the server's time zone. */
const COLUMNS = `code, kind, label_vi, label_en, description_vi, description_en, formula, unit, target_value,
  target_comparison, to_char(target_date, 'YYYY-MM-DD') AS target_date, period, owner_name, owner_unit_id, params,
  position, updated_at`;

function mapDefinition(r: DefinitionRow): KpiDefinition {
  return {
    code: r.code,
    kind: r.kind,
    label: { vi: r.label_vi, en: r.label_en },
    description: { vi: r.description_vi, en: r.description_en },
    formula: r.formula,
    unit: r.unit,
    targetValue: r.target_value === null ? null : Number(r.target_value),
    targetComparison: r.target_comparison,
    targetDate: r.target_date,
    period: r.period,
    ownerName: r.owner_name,
    ownerUnitId: r.owner_unit_id,
    params: r.params ?? {},
    position: r.position,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LEVELS = ['master', 'core', 'community'];
const METRICS = ['population', 'working_age', 'ai_target_age'];

/** Which parameters each KPI takes; anything else is refused. */
const PARAMS_OF: Record<string, ReadonlyArray<keyof KpiParams>> = {
  TOT_TRAINERS: ['levels'],
  OFFICIALS_TRAINED: ['courseSlugs'],
  ENTERPRISE_WEEKLY_HOUR: ['periodShare'],
  CITIZENS_ONLINE_SERVICES: ['courseSlugs', 'ageMin', 'ageMax', 'denominatorMetric'],
  AI_BASICS: ['courseSlugs', 'ageMin', 'ageMax', 'denominatorMetric'],
  LEARNERS_ACTIVE_30D: ['days'],
};

const invalid = (field: string) => new ReportingException(ReportingExceptionCode.DEFINITION_INVALID, { field });

/** Checks a parameter object for a KPI; returns the merged parameters. */
export function validateParams(code: string, current: KpiParams, patch: unknown): KpiParams {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw invalid('params');
  const allowed = PARAMS_OF[code] ?? [];
  const next: KpiParams = { ...current };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    const field = `params.${key}`;
    if (!allowed.includes(key as keyof KpiParams)) throw invalid(field);
    switch (key) {
      case 'levels':
        if (
          !Array.isArray(value) ||
          value.length === 0 ||
          value.some((l) => !LEVELS.includes(l as string)) ||
          new Set(value).size !== value.length
        ) {
          throw invalid(field);
        }
        next.levels = value as KpiParams['levels'];
        break;
      case 'courseSlugs':
        if (
          !Array.isArray(value) ||
          value.length === 0 ||
          value.length > 10 ||
          value.some((s) => typeof s !== 'string' || s.length > 100 || !SLUG.test(s)) ||
          new Set(value).size !== value.length
        ) {
          throw invalid(field);
        }
        next.courseSlugs = value as string[];
        break;
      case 'ageMin':
      case 'ageMax':
        if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 120) throw invalid(field);
        next[key] = value as number;
        break;
      case 'denominatorMetric':
        if (!METRICS.includes(value as string)) throw invalid(field);
        next.denominatorMetric = value as KpiParams['denominatorMetric'];
        break;
      case 'periodShare':
        if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw invalid(field);
        next.periodShare = value;
        break;
      case 'days':
        if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 365) throw invalid(field);
        next.days = value as number;
        break;
    }
  }
  if (next.ageMin !== undefined && next.ageMax !== undefined && next.ageMin > next.ageMax)
    throw invalid('params.ageMax');
  return next;
}

/**
 * The KPI definitions (data, not code): labels, formula text, unit, target value and date, owner,
 * parameters. Province admins change targets and parameters; every change is audited with its
 * reason, the before and the after.
 */
@Injectable()
export class KpiDefinitionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly queues: QueueService,
  ) {}

  async all(em: EntityManager | DataSource = this.ds): Promise<KpiDefinition[]> {
    const rows: DefinitionRow[] = await em.query(`SELECT ${COLUMNS} FROM kpi_definition ORDER BY position, code`);
    return rows.map(mapDefinition);
  }

  async get(code: string, em: EntityManager | DataSource = this.ds): Promise<KpiDefinition> {
    const [row]: DefinitionRow[] = await em.query(`SELECT ${COLUMNS} FROM kpi_definition WHERE code = $1`, [code]);
    if (!row) throw new ReportingException(ReportingExceptionCode.KPI_NOT_FOUND, { field: 'code' });
    return mapDefinition(row);
  }

  async list(actor: Actor): Promise<KpiDefinition[]> {
    assertAdmin(actor);
    return this.all();
  }

  async update(actor: Actor, code: string, change: KpiDefinitionChange): Promise<KpiDefinition> {
    if (actor.kind !== 'user' || !hasRole(actor, Role.ProvinceAdmin)) {
      throw new ReportingException(ReportingExceptionCode.OUT_OF_SCOPE);
    }
    const updated = await this.ds.transaction(async (em) => {
      const [locked]: DefinitionRow[] = await em.query(
        `SELECT ${COLUMNS} FROM kpi_definition WHERE code = $1 FOR UPDATE`,
        [code],
      );
      if (!locked) throw new ReportingException(ReportingExceptionCode.KPI_NOT_FOUND, { field: 'code' });
      const before = mapDefinition(locked);
      if (before.kind === 'activity' && (change.targetValue !== undefined || change.targetDate !== undefined)) {
        throw invalid(change.targetValue !== undefined ? 'targetValue' : 'targetDate');
      }
      if (change.targetValue !== undefined && change.targetValue !== null) {
        const max = before.unit === 'percent' ? 100 : 100_000_000;
        if (!Number.isFinite(change.targetValue) || change.targetValue < 0 || change.targetValue > max) {
          throw invalid('targetValue');
        }
      }
      if (change.targetDate !== undefined && change.targetDate !== null && !isLocalDate(change.targetDate)) {
        throw invalid('targetDate');
      }
      const params = change.params === undefined ? before.params : validateParams(code, before.params, change.params);
      const after: KpiDefinition = {
        ...before,
        targetValue: change.targetValue === undefined ? before.targetValue : change.targetValue,
        targetComparison: change.targetComparison ?? before.targetComparison,
        targetDate: change.targetDate === undefined ? before.targetDate : change.targetDate,
        ownerName: change.ownerName === undefined ? before.ownerName : change.ownerName,
        params,
      };
      const [row]: DefinitionRow[] = await em
        .query(
          `UPDATE kpi_definition SET target_value = $2, target_comparison = $3, target_date = $4, owner_name = $5,
             params = $6::jsonb, updated_by = $7, updated_at = now()
           WHERE code = $1 RETURNING ${COLUMNS}`,
          [
            code,
            after.targetValue,
            after.targetComparison,
            after.targetDate,
            after.ownerName,
            JSON.stringify(params),
            actor.userId,
          ],
        )
        .then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as DefinitionRow[]);
      const audited = (d: KpiDefinition) => ({
        targetValue: d.targetValue,
        targetComparison: d.targetComparison,
        targetDate: d.targetDate,
        ownerName: d.ownerName,
        params: d.params,
      });
      await em.query(
        `INSERT INTO kpi_definition_audit (code, changed_by, reason, before, after) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`,
        [code, actor.userId, change.reason, JSON.stringify(audited(before)), JSON.stringify(audited(after))],
      );
      return mapDefinition(row);
    });
    await refreshOpenWeek(this.queues);
    return updated;
  }

  async audit(actor: Actor, code: string) {
    assertAdmin(actor);
    await this.get(code);
    const rows: Array<{
      id: string;
      changed_by: string | null;
      full_name: string | null;
      changed_at: Date;
      reason: string | null;
      before: unknown;
      after: unknown;
    }> = await this.ds.query(
      `SELECT a.id, a.changed_by, u.full_name, a.changed_at, a.reason, a.before, a.after
         FROM kpi_definition_audit a LEFT JOIN app_user u ON u.id = a.changed_by
        WHERE a.code = $1 ORDER BY a.changed_at DESC, a.id`,
      [code],
    );
    return rows.map((r) => ({
      id: r.id,
      changedBy: r.changed_by ? { id: r.changed_by, fullName: r.full_name } : null,
      changedAt: new Date(r.changed_at).toISOString(),
      reason: r.reason,
      before: r.before,
      after: r.after,
    }));
  }
}

/** Province admins, and org admins (of a commune, agency or park), read KPIs. */
export function assertAdmin(actor: Actor): asserts actor is Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user' || !hasRole(actor, Role.ProvinceAdmin, Role.OrgAdmin)) {
    throw new ReportingException(ReportingExceptionCode.OUT_OF_SCOPE);
  }
}
