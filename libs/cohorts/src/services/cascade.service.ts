import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, hasRole, Role } from '@hocso/common';
import type { DataSource } from 'typeorm';
import { CohortException, CohortExceptionCode } from '../cohorts.exception';
import { LEVEL_RANK, TrainerLevel } from '../entities/cohort.entity';
import { TrainerSource } from '../entities/trainer.entity';
import { todayLocal } from './cohort-access.service';
import { type QualificationState, TrainersService } from './trainers.service';

/** The province's target (KH 237 / Thái Nguyên 2025): 3,000 ToT-qualified trainers. */
export const TOT_TRAINER_TARGET = 3000;
/** How deep the cascade is followed (master → core → community is 2). */
export const MAX_CASCADE_DEPTH = 10;

export interface Reach {
  /** distinct people who were (or are) active members of cohorts this trainer led */
  people: number;
  /** of those, who passed a finished cohort */
  passed: number;
  byKind: Record<'tot' | 'official' | 'citizen' | 'worker', number>;
}

export interface CascadeNode {
  userId: string;
  fullName: string;
  level: TrainerLevel | null;
  qualification: {
    id: string;
    level: TrainerLevel;
    cohortId: string | null;
    grantedOn: string;
    expiresOn: string | null;
    state: QualificationState;
  } | null;
  reach: Reach;
  trained: CascadeNode[];
}

export interface CascadeView {
  root: CascadeNode;
  totals: {
    /** trainers qualified downstream of the root, at any depth */
    trainers: number;
    byLevel: Record<TrainerLevel, number>;
    /** distinct people reached by the root and everyone downstream */
    people: number;
    depth: number;
  };
}

export interface TrainerTotals {
  target: number;
  /** distinct people holding a valid qualification today (each counted once, at their highest level) */
  qualified: number;
  percentOfTarget: number;
  byLevel: Record<TrainerLevel, number>;
  bySource: Record<TrainerSource | 'unknown', number>;
  /** by commune-level unit (the unit right below the province), biggest first */
  byOrgUnit: Array<{ orgUnitId: string | null; name: string | null; count: number }>;
  asOf: string;
}

const emptyReach = (): Reach => ({ people: 0, passed: 0, byKind: { tot: 0, official: 0, citizen: 0, worker: 0 } });

@Injectable()
export class CascadeService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly trainers: TrainersService,
  ) {}

  /**
   * Trainers qualified in this trainer's ToT cohorts, recursively, each with the people their own
   * cohorts reached. Visible to the trainer, admins over them and trainers up their lineage.
   */
  async cascade(actor: Actor, userId: string): Promise<CascadeView> {
    await this.trainers.assertCanView(actor, userId);
    const today = todayLocal();
    const [root] = await this.ds.query(`SELECT id, full_name FROM app_user WHERE id = $1 AND status <> 'erased'`, [
      userId,
    ]);
    if (!root) throw new CohortException(CohortExceptionCode.TRAINER_NOT_FOUND);
    const edges: Array<{
      user_id: string;
      parent: string;
      depth: number;
      id: string;
      level: TrainerLevel;
      cohort_id: string;
      granted_on: string;
      expires_on: string | null;
      revoked_at: Date | null;
      full_name: string;
    }> = await this.ds.query(
      `WITH RECURSIVE tree AS (
         SELECT q.id, q.user_id, q.qualified_by AS parent, 1 AS depth, ARRAY[$1::uuid, q.user_id] AS path
           FROM trainer_qualification q WHERE q.qualified_by = $1 AND q.basis = 'tot_cohort'
         UNION ALL
         SELECT q.id, q.user_id, q.qualified_by, t.depth + 1, t.path || q.user_id
           FROM trainer_qualification q JOIN tree t ON q.qualified_by = t.user_id
          WHERE q.basis = 'tot_cohort' AND NOT (q.user_id = ANY(t.path)) AND t.depth < $2
       )
       SELECT t.user_id, t.parent, t.depth, q.id, q.level, q.cohort_id,
              to_char(q.granted_on, 'YYYY-MM-DD') AS granted_on, to_char(q.expires_on, 'YYYY-MM-DD') AS expires_on,
              q.revoked_at, u.full_name
         FROM tree t JOIN trainer_qualification q ON q.id = t.id JOIN app_user u ON u.id = t.user_id
        ORDER BY t.depth, u.full_name, t.user_id`,
      [userId, MAX_CASCADE_DEPTH],
    );
    const everyone = [userId, ...new Set(edges.map((e) => e.user_id))];
    const reach = await this.reachOf(everyone);
    const levels = await this.validLevels(everyone, today);
    const nodes = new Map<string, CascadeNode>();
    const rootNode: CascadeNode = {
      userId,
      fullName: root.full_name,
      level: levels.get(userId) ?? null,
      qualification: null,
      reach: reach.get(userId) ?? emptyReach(),
      trained: [],
    };
    nodes.set(userId, rootNode);
    const byLevel: Record<TrainerLevel, number> = { master: 0, core: 0, community: 0 };
    let depth = 0;
    for (const e of edges) {
      // Someone qualified twice downstream (two ToT cohorts) appears once, under the first path.
      if (nodes.has(e.user_id)) continue;
      const parent = nodes.get(e.parent);
      if (!parent) continue;
      const state: QualificationState = e.revoked_at
        ? 'revoked'
        : e.expires_on && e.expires_on < today
          ? 'expired'
          : 'valid';
      const node: CascadeNode = {
        userId: e.user_id,
        fullName: e.full_name,
        level: levels.get(e.user_id) ?? null,
        qualification: {
          id: e.id,
          level: e.level,
          cohortId: e.cohort_id,
          grantedOn: e.granted_on,
          expiresOn: e.expires_on,
          state,
        },
        reach: reach.get(e.user_id) ?? emptyReach(),
        trained: [],
      };
      parent.trained.push(node);
      nodes.set(e.user_id, node);
      byLevel[e.level]++;
      depth = Math.max(depth, e.depth);
    }
    const [{ people }] = await this.ds.query(
      `SELECT count(DISTINCT m.user_id)::int AS people FROM cohort c JOIN cohort_member m ON m.cohort_id = c.id
        WHERE c.lead_trainer_id = ANY($1::uuid[]) AND (m.status = 'active' OR m.outcome IS NOT NULL)`,
      [[...nodes.keys()]],
    );
    return { root: rootNode, totals: { trainers: nodes.size - 1, byLevel, people, depth } };
  }

  /** The 3,000-trainer KPI: valid qualifications today by level, source and commune-level unit. */
  async totals(actor: Actor, asOf = todayLocal()): Promise<TrainerTotals> {
    if (actor.kind !== 'user' || !hasRole(actor, Role.ProvinceAdmin, Role.OrgAdmin) || !actor.orgPath) {
      throw new CohortException(CohortExceptionCode.OUT_OF_SCOPE);
    }
    const rows: Array<{
      level: TrainerLevel;
      source: TrainerSource | null;
      unit_id: string | null;
      name: string | null;
      n: number;
    }> = await this.ds.query(
      `WITH best AS (
           SELECT DISTINCT ON (q.user_id) q.user_id, q.level
             FROM trainer_qualification q
            WHERE q.revoked_at IS NULL AND (q.expires_on IS NULL OR q.expires_on >= $1) AND q.granted_on <= $1
            ORDER BY q.user_id, CASE q.level WHEN 'master' THEN 3 WHEN 'core' THEN 2 ELSE 1 END DESC
         )
         SELECT b.level, p.source, top.id AS unit_id, top.name, count(*)::int AS n
           FROM best b JOIN app_user u ON u.id = b.user_id AND u.status <> 'erased'
           LEFT JOIN trainer_profile p ON p.user_id = b.user_id
           LEFT JOIN org_unit o ON o.id = u.org_unit_id
           LEFT JOIN org_unit top ON top.id::text = NULLIF(split_part(o.path, '/', 3), '')
          WHERE ($3::boolean OR o.path LIKE $2 || '%')
          GROUP BY b.level, p.source, top.id, top.name`,
      [asOf, actor.orgPath, hasRole(actor, Role.ProvinceAdmin)],
    );
    const byLevel: Record<TrainerLevel, number> = { master: 0, core: 0, community: 0 };
    const bySource = Object.fromEntries([...Object.values(TrainerSource), 'unknown'].map((s) => [s, 0])) as Record<
      TrainerSource | 'unknown',
      number
    >;
    const units = new Map<string, { orgUnitId: string | null; name: string | null; count: number }>();
    let qualified = 0;
    for (const r of rows) {
      qualified += r.n;
      byLevel[r.level] += r.n;
      bySource[r.source ?? 'unknown'] += r.n;
      const key = r.unit_id ?? '';
      const u = units.get(key) ?? { orgUnitId: r.unit_id, name: r.name, count: 0 };
      u.count += r.n;
      units.set(key, u);
    }
    return {
      target: TOT_TRAINER_TARGET,
      qualified,
      percentOfTarget: Math.round((qualified / TOT_TRAINER_TARGET) * 1000) / 10,
      byLevel,
      bySource,
      byOrgUnit: [...units.values()].sort((a, b) => b.count - a.count || (a.name ?? '').localeCompare(b.name ?? '')),
      asOf,
    };
  }

  private async reachOf(userIds: string[]): Promise<Map<string, Reach>> {
    const rows: Array<{ lead: string; kind: keyof Reach['byKind']; people: number; passed: number }> =
      await this.ds.query(
        `SELECT c.lead_trainer_id AS lead, c.kind, count(DISTINCT m.user_id)::int AS people,
                count(DISTINCT m.user_id) FILTER (WHERE m.outcome = 'passed')::int AS passed
           FROM cohort c JOIN cohort_member m ON m.cohort_id = c.id
          WHERE c.lead_trainer_id = ANY($1::uuid[]) AND (m.status = 'active' OR m.outcome IS NOT NULL)
          GROUP BY c.lead_trainer_id, c.kind`,
        [userIds],
      );
    const distinct: Array<{ lead: string; people: number; passed: number }> = await this.ds.query(
      `SELECT c.lead_trainer_id AS lead, count(DISTINCT m.user_id)::int AS people,
              count(DISTINCT m.user_id) FILTER (WHERE m.outcome = 'passed')::int AS passed
         FROM cohort c JOIN cohort_member m ON m.cohort_id = c.id
        WHERE c.lead_trainer_id = ANY($1::uuid[]) AND (m.status = 'active' OR m.outcome IS NOT NULL)
        GROUP BY c.lead_trainer_id`,
      [userIds],
    );
    const out = new Map<string, Reach>();
    for (const d of distinct) out.set(d.lead, { ...emptyReach(), people: d.people, passed: d.passed });
    for (const r of rows) {
      const reach = out.get(r.lead);
      if (reach) reach.byKind[r.kind] = r.people;
    }
    return out;
  }

  private async validLevels(userIds: string[], today: string): Promise<Map<string, TrainerLevel>> {
    const rows: Array<{ user_id: string; level: TrainerLevel }> = await this.ds.query(
      `SELECT user_id, level FROM trainer_qualification
        WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL AND (expires_on IS NULL OR expires_on >= $2)`,
      [userIds, today],
    );
    const out = new Map<string, TrainerLevel>();
    for (const r of rows) {
      const cur = out.get(r.user_id);
      if (!cur || LEVEL_RANK[r.level] > LEVEL_RANK[cur]) out.set(r.user_id, r.level);
    }
    return out;
  }
}
