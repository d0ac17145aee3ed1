import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LocalizedText } from '@hocso/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CompetencyEntity, CompetencyKind } from '../entities/competency.entity';
import { CompetencyFrameworkEntity } from '../entities/competency-framework.entity';
import { CompetencyCatalog } from '../package/competency-catalog';
import type { FrameworkDefinition } from '../package/framework-reader';

export interface CompetencyNode {
  code: string;
  localCode: string;
  name: LocalizedText;
  attributes: Record<string, unknown>;
}

export interface FrameworkTree {
  code: string;
  version: string;
  name: LocalizedText;
  source: string | null;
  levels: Array<{ code: string; step: number; name: LocalizedText }>;
  domains: Array<CompetencyNode & { competencies: CompetencyNode[] }>;
}

export type FrameworkSyncOutcome = 'created' | 'updated' | 'unchanged';

const CACHE_MS = 60_000;
const LOCK = 'hocso:frameworks';

/** Competency frameworks as data: loaded from content/frameworks, served as trees, used to check codes. */
@Injectable()
export class FrameworksService {
  private readonly logger = new Logger('Frameworks');
  private cache?: { at: number; trees: Promise<FrameworkTree[]> };

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores each framework version (idempotent by content hash) and marks the newest version of each
   * code as current. Runs under a transaction-scoped advisory lock, so concurrent starts agree.
   */
  async sync(
    frameworks: FrameworkDefinition[],
  ): Promise<Array<{ code: string; version: string; outcome: FrameworkSyncOutcome }>> {
    const result = await this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
      const out: Array<{ code: string; version: string; outcome: FrameworkSyncOutcome }> = [];
      for (const f of frameworks) {
        const existing = await em.findOneBy(CompetencyFrameworkEntity, { code: f.code, version: f.version });
        if (existing?.contentHash === f.contentHash) {
          out.push({ code: f.code, version: f.version, outcome: 'unchanged' });
          continue;
        }
        const row = existing ?? em.create(CompetencyFrameworkEntity, { code: f.code, version: f.version });
        Object.assign(row, {
          nameVi: f.name.vi,
          nameEn: f.name.en,
          source: f.source,
          levels: f.levels,
          contentHash: f.contentHash,
          isCurrent: existing?.isCurrent ?? false,
        });
        const saved = await em.save(row);
        await em.delete(CompetencyEntity, { frameworkId: saved.id });
        await em.insert(CompetencyEntity, this.competencyRows(saved.id, f) as never);
        out.push({ code: f.code, version: f.version, outcome: existing ? 'updated' : 'created' });
      }
      await this.markCurrent(em);
      return out;
    });
    this.cache = undefined;
    const changed = result.filter((r) => r.outcome !== 'unchanged');
    if (changed.length)
      this.logger.log(`frameworks: ${changed.map((r) => `${r.code}@${r.version} ${r.outcome}`).join(', ')}`);
    return result;
  }

  /** The current version of every framework, as trees (cached for a minute in this process). */
  async list(): Promise<FrameworkTree[]> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
      const trees = this.loadTrees();
      this.cache = { at: Date.now(), trees };
      trees.catch(() => {
        this.cache = undefined;
      });
    }
    return this.cache.trees;
  }

  /** Which competency codes packages may use now. */
  async catalog(): Promise<CompetencyCatalog> {
    const trees = await this.list();
    return new CompetencyCatalog(
      trees.map((t) => ({
        code: t.code,
        levels: t.levels.map((l) => l.code),
        codes: t.domains.flatMap((d) => [d.localCode, ...d.competencies.map((c) => c.localCode)]),
      })),
    );
  }

  private competencyRows(frameworkId: string, f: FrameworkDefinition): Array<Partial<CompetencyEntity>> {
    const rows: Array<Partial<CompetencyEntity>> = [];
    let position = 0;
    for (const d of f.domains) {
      const domainCode = `${f.code}:${d.code}`;
      rows.push({
        frameworkId,
        kind: CompetencyKind.Domain,
        code: domainCode,
        localCode: d.code,
        parentCode: null,
        nameVi: d.name.vi,
        nameEn: d.name.en,
        position: position++,
        attributes: d.attributes,
      });
      for (const c of d.competencies) {
        rows.push({
          frameworkId,
          kind: CompetencyKind.Competency,
          code: `${f.code}:${c.code}`,
          localCode: c.code,
          parentCode: domainCode,
          nameVi: c.name.vi,
          nameEn: c.name.en,
          position: position++,
          attributes: c.attributes,
        });
      }
    }
    return rows;
  }

  private async markCurrent(em: EntityManager): Promise<void> {
    const all = await em.find(CompetencyFrameworkEntity);
    const newest = new Map<string, CompetencyFrameworkEntity>();
    for (const f of all) {
      const seen = newest.get(f.code);
      if (!seen || seen.version.localeCompare(f.version, 'en', { numeric: true }) < 0) newest.set(f.code, f);
    }
    const currentIds = [...newest.values()].map((f) => f.id);
    await em
      .createQueryBuilder()
      .update(CompetencyFrameworkEntity)
      .set({ isCurrent: false })
      .where('is_current AND NOT (id = ANY(CAST(:ids AS uuid[])))', { ids: currentIds })
      .execute();
    if (currentIds.length) {
      await em
        .createQueryBuilder()
        .update(CompetencyFrameworkEntity)
        .set({ isCurrent: true })
        .where('id = ANY(CAST(:ids AS uuid[])) AND NOT is_current', { ids: currentIds })
        .execute();
    }
  }

  private async loadTrees(): Promise<FrameworkTree[]> {
    const frameworks = await this.dataSource
      .getRepository(CompetencyFrameworkEntity)
      .find({ where: { isCurrent: true }, order: { code: 'ASC' } });
    if (frameworks.length === 0) return [];
    const competencies = await this.dataSource
      .getRepository(CompetencyEntity)
      .createQueryBuilder('c')
      .where('c.framework_id IN (:...ids)', { ids: frameworks.map((f) => f.id) })
      .orderBy('c.position', 'ASC')
      .getMany();
    return frameworks.map((f) => {
      const own = competencies.filter((c) => c.frameworkId === f.id);
      const node = (c: CompetencyEntity): CompetencyNode => ({
        code: c.code,
        localCode: c.localCode,
        name: { vi: c.nameVi, en: c.nameEn },
        attributes: c.attributes,
      });
      return {
        code: f.code,
        version: f.version,
        name: { vi: f.nameVi, en: f.nameEn },
        source: f.source,
        levels: f.levels.map((l) => ({ code: l.code, step: l.step, name: l.name })),
        domains: own
          .filter((c) => c.kind === CompetencyKind.Domain)
          .map((d) => ({
            ...node(d),
            competencies: own.filter((c) => c.parentCode === d.code).map(node),
          })),
      };
    });
  }
}
