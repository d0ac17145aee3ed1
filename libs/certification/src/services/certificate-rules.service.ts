import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Actor, hasRole, Role, type UserActor } from '@hocso/common';
import type { EntityManager, Repository } from 'typeorm';
import { CertificationException, CertificationExceptionCode } from '../certification.exception';
import { CertificateRuleEntity, RuleScope } from '../entities/certificate.entity';

const COHORT_KINDS = ['tot', 'official', 'citizen', 'worker'];
const SLUG = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)*)$/;

export interface RuleInput {
  scope: RuleScope;
  key: string;
  enabled: boolean;
  minScorePercent?: number | null;
  minAttendancePercent?: number | null;
  validityMonths?: number | null;
}

/** The rule that applies: a course's own, else the course default ("*"), else none (issue on completion). */
export interface EffectiveRule {
  enabled: boolean;
  minScorePercent: number | null;
  minAttendancePercent: number | null;
  validityMonths: number | null;
}

@Injectable()
export class CertificateRulesService {
  constructor(@InjectRepository(CertificateRuleEntity) private readonly rules: Repository<CertificateRuleEntity>) {}

  list(): Promise<CertificateRuleEntity[]> {
    return this.rules.find({ order: { scope: 'ASC', key: 'ASC' } });
  }

  /** Province admins set the rules. */
  async put(actor: Actor, input: RuleInput): Promise<CertificateRuleEntity> {
    if (!hasRole(actor, Role.ProvinceAdmin)) throw new CertificationException(CertificationExceptionCode.OUT_OF_SCOPE);
    const valid = input.scope === RuleScope.Course ? SLUG.test(input.key) : COHORT_KINDS.includes(input.key);
    if (!valid) throw new CertificationException(CertificationExceptionCode.RULE_INVALID, { field: 'key' });
    const existing = await this.rules.findOneBy({ scope: input.scope, key: input.key });
    return this.rules.save(
      this.rules.create({
        ...(existing ?? {}),
        scope: input.scope,
        key: input.key,
        enabled: input.enabled,
        minScorePercent: input.minScorePercent ?? null,
        minAttendancePercent: input.minAttendancePercent ?? null,
        validityMonths: input.validityMonths ?? null,
        updatedBy: (actor as UserActor).userId,
      }),
    );
  }

  /** For a course completion: the course rule (or "*"), with the cohort kind's attendance minimum. */
  async effective(em: EntityManager, courseSlug: string, cohortKind: string | null): Promise<EffectiveRule> {
    const rows = await em.find(CertificateRuleEntity, {
      where: [
        { scope: RuleScope.Course, key: courseSlug },
        { scope: RuleScope.Course, key: '*' },
        ...(cohortKind ? [{ scope: RuleScope.CohortKind, key: cohortKind }] : []),
      ],
    });
    const course =
      rows.find((r) => r.scope === RuleScope.Course && r.key === courseSlug) ??
      rows.find((r) => r.scope === RuleScope.Course && r.key === '*');
    const kind = rows.find((r) => r.scope === RuleScope.CohortKind);
    return {
      enabled: (course?.enabled ?? true) && (kind?.enabled ?? true),
      minScorePercent: course?.minScorePercent ?? null,
      minAttendancePercent: kind?.minAttendancePercent ?? course?.minAttendancePercent ?? null,
      validityMonths: course?.validityMonths ?? kind?.validityMonths ?? null,
    };
  }
}
