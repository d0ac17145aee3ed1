import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, hasRole, isUuid, normalizeText, Role, type UserActor } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { isWithin } from '@hocso/identity';
import type { JobResults, JobName, JobOf } from '@hocso/queue';
import type { DataSource, EntityManager } from 'typeorm';
import { CertificationException, CertificationExceptionCode } from '../certification.exception';
import {
  type BitstringStatusListEntry,
  hashedEmailIdentifier,
  OB3_CONTEXTS,
  type OpenBadgeCredential,
  signCredential,
  type VerificationResult,
  verifyCredential,
} from '../credentials';
import { CertificateEntity, CertificateKind, PublicProfileEntity } from '../entities/certificate.entity';
import { type CertificatePdfData, renderCertificatePdf } from '../pdf/certificate-pdf';
import { CertificateRulesService } from './certificate-rules.service';
import { CredentialKeys } from './credential-keys.service';
import { StatusListsService } from './status-lists.service';

export type CertificateStatus = 'active' | 'revoked' | 'expired';

export interface CertificateView {
  certificate: CertificateEntity;
  holderName: string;
  status: CertificateStatus;
  verifyUrl: string;
}

/** What a certificate says, before it is signed. */
interface Draft {
  holderId: string;
  achievementKey: string;
  kind: CertificateKind;
  courseId: string | null;
  cohortId: string | null;
  qualificationId: string | null;
  title: { vi: string; en: string };
  description: string;
  criteria: string;
  hours: number | null;
  level: string | null;
  validUntil: Date | null;
  competencies: string[];
  achievementId: string;
  achievementType: string;
  evidence: Array<Record<string, unknown>>;
}

type IssueResult = JobResults[JobName.IssueCertificate];

const TRAINER_TITLES: Record<string, { vi: string; en: string }> = {
  master: {
    vi: 'Giảng viên chủ chốt (master trainer) về chuyển đổi số và AI',
    en: 'Master trainer in digital transformation and AI',
  },
  core: {
    vi: 'Giảng viên nguồn (ToT) về chuyển đổi số và AI',
    en: 'Core trainer (ToT) in digital transformation and AI',
  },
  community: { vi: 'Giảng viên cộng đồng về kỹ năng số', en: 'Community trainer in digital skills' },
};

const addMonths = (d: Date, months: number) => {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + months);
  return r;
};

export function certificateStatus(c: CertificateEntity, now = new Date()): CertificateStatus {
  if (c.revokedAt) return 'revoked';
  if (c.validUntil && new Date(c.validUntil).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/**
 * Issues Open Badges 3.0 credentials (VC-JWT, RS256), exactly once per holder and achievement;
 * serves them to their holder, admins and — when the holder shares their profile — anyone;
 * verifies presented credentials; revokes through the status list; renders the printable PDF.
 */
@Injectable()
export class CertificatesService {
  private readonly logger = new Logger('Certificates');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: CredentialKeys,
    private readonly statusLists: StatusListsService,
    private readonly rules: CertificateRulesService,
  ) {}

  get issuerName(): string {
    return this.config.certification.issuerName;
  }

  verifyUrl(id: string): string {
    return `${this.keys.publicUrl}/verify/${id}`;
  }

  /** The job: one credential for a completion or a trainer qualification (again: 'exists'). */
  async issue(payload: JobOf<JobName.IssueCertificate>): Promise<IssueResult> {
    const result = await this.ds.transaction(async (em) => {
      const draft =
        payload.kind === 'course'
          ? await this.courseDraft(em, payload.enrollmentId)
          : await this.trainerDraft(em, payload.qualificationId);
      if ('reason' in draft) return { status: 'not_eligible' as const, certificateId: null, reason: draft.reason };
      return this.insert(em, draft);
    });
    if (result.status === 'issued' && result.certificateId) {
      // The PDF is rendered here, in the worker, and cached; a failure leaves it to the first download.
      await this.pdfBytes(result.certificateId, 'vi').catch((err) =>
        this.logger.warn(`PDF of ${result.certificateId} not rendered: ${(err as Error).message}`),
      );
    }
    return result;
  }

  async listMine(actor: UserActor): Promise<CertificateView[]> {
    const rows = await this.ds
      .getRepository(CertificateEntity)
      .find({ where: { holderId: actor.userId }, order: { createdAt: 'DESC' } });
    const [me] = await this.ds.query(`SELECT full_name FROM app_user WHERE id = $1`, [actor.userId]);
    return rows.map((c) => this.view(c, me?.full_name ?? ''));
  }

  /** The holder, admins over the holder's unit, and anyone when the holder shares their profile. */
  async get(actor: Actor | null, id: string): Promise<CertificateView> {
    const { certificate, holderName } = await this.readable(actor, id);
    return this.view(certificate, holderName);
  }

  /** An admin revokes: the status bit flips in the same transaction, verification sees it at once. */
  async revoke(actor: Actor, id: string, reason: string): Promise<CertificateView> {
    return this.ds.transaction(async (em) => {
      const c = await em
        .createQueryBuilder(CertificateEntity, 'c')
        .setLock('pessimistic_write')
        .where('c.id = :id', { id })
        .getOne();
      if (!c) throw new CertificationException(CertificationExceptionCode.CERTIFICATE_NOT_FOUND);
      const holder = await this.holder(em, c.holderId);
      if (!this.isAdminOver(actor, holder.org_path)) {
        throw new CertificationException(
          c.holderId === (actor as UserActor).userId
            ? CertificationExceptionCode.OUT_OF_SCOPE
            : CertificationExceptionCode.CERTIFICATE_NOT_FOUND,
        );
      }
      if (!c.revokedAt) {
        c.revokedAt = new Date();
        c.revokedBy = (actor as UserActor).userId;
        c.revokeReason = normalizeText(reason);
        await em.save(c);
        await this.statusLists.setRevoked(em, c.statusListId, c.statusIndex);
        await em.query(`DELETE FROM certificate_pdf WHERE certificate_id = $1`, [c.id]);
      }
      return this.view(c, holder.full_name);
    });
  }

  /** The system revokes a credential whose basis went away (a revoked trainer qualification). */
  async revokeAchievement(holderId: string, achievementKey: string, reason: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const c = await em
        .createQueryBuilder(CertificateEntity, 'c')
        .setLock('pessimistic_write')
        .where('c.holder_id = :holderId AND c.achievement_key = :achievementKey', { holderId, achievementKey })
        .getOne();
      if (!c || c.revokedAt) return false;
      c.revokedAt = new Date();
      c.revokeReason = normalizeText(reason);
      await em.save(c);
      await this.statusLists.setRevoked(em, c.statusListId, c.statusIndex);
      await em.query(`DELETE FROM certificate_pdf WHERE certificate_id = $1`, [c.id]);
      return true;
    });
  }

  /** POST /v1/credentials/verify: any presented credential, checked against our published keys. */
  async verifyPresented(input: unknown): Promise<VerificationResult> {
    return verifyCredential(input, {
      jwks: await this.keys.jwks(),
      issuerId: this.keys.issuer.id,
      statusBit: (list, index) => this.statusLists.bit(list, index),
    });
  }

  /** The public verify page: what the certificate says, its status, and the checks run on it now. */
  async verifyPage(id: string): Promise<{ view: CertificateView; verification: VerificationResult } | null> {
    if (!isUuid(id)) return null;
    const c = await this.ds.getRepository(CertificateEntity).findOneBy({ id });
    if (!c) return null;
    const holder = await this.holder(this.ds.manager, c.holderId);
    return { view: this.view(c, holder.full_name), verification: await this.verifyPresented(c.credentialJwt) };
  }

  async pdf(
    actor: Actor | null,
    id: string,
    locale: 'vi' | 'en',
  ): Promise<{ bytes: Buffer; certificate: CertificateEntity }> {
    const { certificate } = await this.readable(actor, id);
    return { bytes: await this.pdfBytes(certificate.id, locale), certificate };
  }

  // ——— public profile ———

  async profile(actor: UserActor): Promise<{ enabled: boolean; handle: string | null; url: string | null }> {
    const p = await this.ds.getRepository(PublicProfileEntity).findOneBy({ userId: actor.userId });
    return this.profileView(p);
  }

  /** Opt in (a handle is made once) or out; opting out hides the page and the certificates at once. */
  async setProfile(actor: UserActor, enabled: boolean) {
    const repo = this.ds.getRepository(PublicProfileEntity);
    let p = await repo.findOneBy({ userId: actor.userId });
    if (!p && !enabled) return this.profileView(null);
    p ??= repo.create({ userId: actor.userId, handle: randomBytes(8).toString('base64url') });
    p.enabled = enabled;
    return this.profileView(await repo.save(p));
  }

  /** The shared page: name, valid certificates and the competencies they align to. */
  async publicProfile(handle: string) {
    const p = await this.ds.getRepository(PublicProfileEntity).findOneBy({ handle, enabled: true });
    if (!p) throw new CertificationException(CertificationExceptionCode.PROFILE_NOT_FOUND);
    const holder = await this.holder(this.ds.manager, p.userId);
    const rows = await this.ds.getRepository(CertificateEntity).find({
      where: { holderId: p.userId },
      order: { validFrom: 'DESC' },
    });
    const valid = rows.filter((c) => certificateStatus(c) === 'active');
    const codes = [...new Set(valid.flatMap((c) => this.alignmentCodes(c)))];
    const competencies: Array<{ code: string; name_vi: string; name_en: string }> = codes.length
      ? await this.ds.query(
          `SELECT code, name_vi, name_en FROM competency WHERE code = ANY($1::text[]) ORDER BY code`,
          [codes],
        )
      : [];
    return {
      fullName: holder.full_name as string,
      certificates: valid.map((c) => this.view(c, holder.full_name)),
      competencies: competencies.map((x) => ({ code: x.code, name: { vi: x.name_vi, en: x.name_en } })),
    };
  }

  // ——— internals ———

  private async readable(
    actor: Actor | null,
    id: string,
  ): Promise<{ certificate: CertificateEntity; holderName: string }> {
    const c = isUuid(id) ? await this.ds.getRepository(CertificateEntity).findOneBy({ id }) : null;
    if (!c) throw new CertificationException(CertificationExceptionCode.CERTIFICATE_NOT_FOUND);
    const holder = await this.holder(this.ds.manager, c.holderId);
    const own = actor?.kind === 'user' && actor.userId === c.holderId;
    if (!own && !this.isAdminOver(actor, holder.org_path)) {
      // Sharing shows valid certificates only (as the public profile does).
      const shared = await this.ds.getRepository(PublicProfileEntity).existsBy({ userId: c.holderId, enabled: true });
      if (!shared || certificateStatus(c) !== 'active') {
        throw new CertificationException(CertificationExceptionCode.CERTIFICATE_NOT_FOUND);
      }
    }
    return { certificate: c, holderName: holder.full_name };
  }

  /** Admins over the holder's unit; holders with no unit (self-registered, LTI) are the province's. */
  private isAdminOver(actor: Actor | null, orgPath: string | null): boolean {
    if (actor?.kind !== 'user') return false;
    if (orgPath === null) return hasRole(actor, Role.ProvinceAdmin);
    return hasRole(actor, Role.ProvinceAdmin, Role.OrgAdmin) && isWithin(actor.orgPath, orgPath);
  }

  private async holder(
    em: EntityManager,
    userId: string,
  ): Promise<{ full_name: string; email: string | null; org_path: string | null }> {
    const [h] = await em.query(
      `SELECT u.full_name, u.email, o.path AS org_path FROM app_user u LEFT JOIN org_unit o ON o.id = u.org_unit_id
        WHERE u.id = $1`,
      [userId],
    );
    return h ?? { full_name: '', email: null, org_path: null };
  }

  private view(c: CertificateEntity, holderName: string): CertificateView {
    return { certificate: c, holderName, status: certificateStatus(c), verifyUrl: this.verifyUrl(c.id) };
  }

  private profileView(p: PublicProfileEntity | null) {
    return {
      enabled: !!p?.enabled,
      handle: p?.enabled ? p.handle : null,
      url: p?.enabled ? `${this.keys.publicUrl}/v1/public-profiles/${p.handle}` : null,
    };
  }

  private alignmentCodes(c: CertificateEntity): string[] {
    const subject = (c.credential as unknown as OpenBadgeCredential).credentialSubject;
    const alignment = (subject.achievement.alignment ?? []) as Array<{ targetCode?: string }>;
    return alignment.map((a) => a.targetCode).filter((x): x is string => !!x);
  }

  private async courseDraft(em: EntityManager, enrollmentId: string): Promise<Draft | { reason: string }> {
    const [e] = await em.query(
      `SELECT e.id, e.user_id, e.course_id, e.course_slug, e.status, e.completed_at, e.source, e.source_ref,
              c.title_vi, c.title_en, c.summary_vi, c.level, c.estimated_minutes, c.competencies
         FROM enrollment e JOIN course c ON c.id = e.course_id WHERE e.id = $1`,
      [enrollmentId],
    );
    if (!e) return { reason: 'enrollment_not_found' };
    if (e.status !== 'completed') return { reason: 'not_completed' };
    const cohort =
      e.source === 'cohort' && e.source_ref
        ? ((
            await em.query(
              `SELECT c.id, c.title, c.kind, u.full_name AS trainer FROM cohort c JOIN app_user u ON u.id = c.lead_trainer_id
              WHERE c.id = $1`,
              [e.source_ref],
            )
          )[0] ?? null)
        : null;
    const rule = await this.rules.effective(em, e.course_slug, cohort?.kind ?? null);
    if (!rule.enabled) return { reason: 'rule_disabled' };
    if (rule.minScorePercent !== null) {
      const [{ score }] = await em.query(
        `SELECT coalesce(avg(best), 0) * 100 AS score FROM (
           SELECT max(score) AS best FROM quiz_attempt WHERE enrollment_id = $1 GROUP BY quiz_id) q`,
        [enrollmentId],
      );
      if (Number(score) + 1e-9 < rule.minScorePercent) return { reason: 'score_below_minimum' };
    }
    let attendance: number | null = null;
    if (cohort) {
      const [a] = await em.query(
        `SELECT count(*)::int AS held,
                count(a.user_id) FILTER (WHERE a.status IN ('present', 'late'))::int AS attended
           FROM cohort_session s LEFT JOIN cohort_attendance a ON a.session_id = s.id AND a.user_id = $2
          WHERE s.cohort_id = $1 AND s.starts_at <= now()`,
        [cohort.id, e.user_id],
      );
      attendance = a.held ? Math.round((a.attended / a.held) * 1000) / 10 : null;
      // With an attendance minimum, finishing the course before any session is not enough.
      if (rule.minAttendancePercent !== null && (attendance === null || attendance < rule.minAttendancePercent)) {
        return { reason: 'attendance_below_minimum' };
      }
    }
    const hours = Math.round((e.estimated_minutes / 60) * 2) / 2;
    const completedAt = new Date(e.completed_at);
    const base = this.keys.publicUrl;
    return {
      holderId: e.user_id,
      achievementKey: `course:${e.course_slug}`,
      kind: CertificateKind.Course,
      courseId: e.course_id,
      cohortId: cohort?.id ?? null,
      qualificationId: null,
      title: { vi: e.title_vi, en: e.title_en },
      description: e.summary_vi,
      criteria: `Hoàn thành mọi bài học và đạt mọi bài kiểm tra của khóa học (${hours} giờ)${
        rule.minScorePercent !== null ? `, điểm trung bình từ ${rule.minScorePercent}%` : ''
      }.`,
      hours,
      level: e.level,
      validUntil: rule.validityMonths ? addMonths(completedAt, rule.validityMonths) : null,
      competencies: e.competencies,
      achievementId: `${base}/v1/courses/${e.course_slug}`,
      achievementType: 'Certificate',
      evidence: cohort
        ? [
            {
              id: `${base}/v1/cohorts/${cohort.id}`,
              type: ['Evidence'],
              name: cohort.title,
              description: `Giảng viên: ${cohort.trainer}${attendance !== null ? `; chuyên cần ${attendance}%` : ''}`,
            },
          ]
        : [],
    };
  }

  private async trainerDraft(em: EntityManager, qualificationId: string): Promise<Draft | { reason: string }> {
    const [q] = await em.query(
      `SELECT q.id, q.user_id, q.level, q.cohort_id, q.revoked_at, to_char(q.granted_on, 'YYYY-MM-DD') AS granted_on,
              to_char(q.expires_on, 'YYYY-MM-DD') AS expires_on, c.title AS cohort_title, m.full_name AS master
         FROM trainer_qualification q LEFT JOIN cohort c ON c.id = q.cohort_id
         LEFT JOIN app_user m ON m.id = q.qualified_by WHERE q.id = $1`,
      [qualificationId],
    );
    if (!q) return { reason: 'qualification_not_found' };
    if (q.revoked_at) return { reason: 'qualification_revoked' };
    const courses: Array<{ competencies: string[]; estimated_minutes: number }> = q.cohort_id
      ? await em.query(
          `SELECT c.competencies, c.estimated_minutes FROM cohort_course cc JOIN course c ON c.id = cc.course_id
            WHERE cc.cohort_id = $1 ORDER BY cc.position`,
          [q.cohort_id],
        )
      : [];
    const minutes = courses.reduce((s, c) => s + c.estimated_minutes, 0);
    const title = TRAINER_TITLES[q.level] ?? TRAINER_TITLES.core;
    const base = this.keys.publicUrl;
    return {
      holderId: q.user_id,
      achievementKey: `trainer:${q.id}`,
      kind: CertificateKind.Trainer,
      courseId: null,
      cohortId: q.cohort_id,
      qualificationId: q.id,
      title,
      description: `${title.vi}, được công nhận trong mô hình đào tạo giảng viên nhiều cấp của tỉnh.`,
      criteria: q.cohort_id
        ? 'Hoàn thành lớp đào tạo giảng viên (ToT): chuyên cần đạt yêu cầu, hoàn thành khóa học và thực tập giảng dạy có giám sát được phê duyệt.'
        : 'Được Sở bổ nhiệm làm giảng viên.',
      hours: minutes ? Math.round((minutes / 60) * 2) / 2 : null,
      level: q.level,
      // Valid to the end of the qualification's last day (Asia/Ho_Chi_Minh).
      validUntil: q.expires_on ? new Date(Date.parse(`${q.expires_on}T00:00:00+07:00`) + 86_400_000) : null,
      competencies: [...new Set(courses.flatMap((c) => c.competencies))],
      achievementId: `${base}/v1/achievements/trainer-${q.level}`,
      achievementType: 'License',
      evidence: q.cohort_id
        ? [
            {
              id: `${base}/v1/cohorts/${q.cohort_id}`,
              type: ['Evidence'],
              name: q.cohort_title,
              description: `Giảng viên hướng dẫn: ${q.master ?? ''}`,
            },
          ]
        : [],
    };
  }

  private async insert(em: EntityManager, d: Draft): Promise<IssueResult> {
    const [existing] = await em.query(`SELECT id FROM certificate WHERE holder_id = $1 AND achievement_key = $2`, [
      d.holderId,
      d.achievementKey,
    ]);
    if (existing) return { status: 'exists', certificateId: existing.id };
    const holder = await this.holder(em, d.holderId);
    const competencies: Array<{ code: string; local_code: string; name_vi: string; fw: string }> = d.competencies.length
      ? await em.query(
          `SELECT c.code, c.local_code, c.name_vi, f.name_vi AS fw FROM competency c
             JOIN competency_framework f ON f.id = c.framework_id AND f.is_current
            WHERE c.code = ANY($1::text[]) ORDER BY c.code`,
          [d.competencies],
        )
      : [];
    const { listId, index } = await this.statusLists.allocate(em);
    const id = randomUUID();
    const validFrom = new Date();
    const status: BitstringStatusListEntry = {
      id: `${this.statusLists.listUrl(listId)}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: this.statusLists.listUrl(listId),
    };
    const credential: OpenBadgeCredential = {
      '@context': OB3_CONTEXTS,
      id: `urn:uuid:${id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: this.keys.issuer,
      validFrom: validFrom.toISOString(),
      ...(d.validUntil ? { validUntil: d.validUntil.toISOString() } : {}),
      name: d.title.vi,
      credentialSubject: {
        id: `urn:uuid:${d.holderId}`,
        type: ['AchievementSubject'],
        ...(holder.email ? { identifier: [hashedEmailIdentifier(holder.email, randomBytes(8).toString('hex'))] } : {}),
        achievement: {
          id: d.achievementId,
          type: ['Achievement'],
          achievementType: d.achievementType,
          name: d.title.vi,
          description: d.description,
          criteria: { narrative: d.criteria },
          inLanguage: 'vi',
          ...(d.level ? { tag: [d.level] } : {}),
          ...(competencies.length
            ? {
                alignment: competencies.map((c) => ({
                  type: ['Alignment'],
                  targetName: `${c.local_code} ${c.name_vi}`,
                  targetCode: c.code,
                  targetFramework: c.fw,
                  targetType: 'ext:Competency',
                  targetUrl: `${this.keys.publicUrl}/v1/competencies#${encodeURIComponent(c.code)}`,
                })),
              }
            : {}),
        },
      },
      credentialStatus: status,
      ...(d.evidence.length ? { evidence: d.evidence } : {}),
    } as OpenBadgeCredential;
    const signer = await this.keys.signer();
    const jwt = await signCredential(credential, signer.key, signer.options);
    const inserted: Array<{ id: string }> = await em.query(
      `INSERT INTO certificate (id, holder_id, achievement_key, kind, course_id, cohort_id, qualification_id,
         title_vi, title_en, hours, level, valid_from, valid_until, credential, credential_jwt, kid,
         status_list_id, status_index)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
       ON CONFLICT (holder_id, achievement_key) DO NOTHING RETURNING id`,
      [
        id,
        d.holderId,
        d.achievementKey,
        d.kind,
        d.courseId,
        d.cohortId,
        d.qualificationId,
        d.title.vi,
        d.title.en,
        d.hours,
        d.level,
        validFrom,
        d.validUntil,
        JSON.stringify(credential),
        jwt,
        signer.key.kid,
        listId,
        index,
      ],
    );
    const rows = (Array.isArray(inserted[0]) ? inserted[0] : inserted) as Array<{ id: string }>;
    if (!rows.length) {
      const [winner] = await em.query(`SELECT id FROM certificate WHERE holder_id = $1 AND achievement_key = $2`, [
        d.holderId,
        d.achievementKey,
      ]);
      return { status: 'exists', certificateId: winner?.id ?? null };
    }
    this.logger.log(`issued ${d.achievementKey} to ${d.holderId}: ${id}`);
    return { status: 'issued', certificateId: id };
  }

  /** The cached PDF, rendered once per locale. */
  private async pdfBytes(id: string, locale: 'vi' | 'en'): Promise<Buffer> {
    const [cached] = await this.ds.query(`SELECT pdf FROM certificate_pdf WHERE certificate_id = $1 AND locale = $2`, [
      id,
      locale,
    ]);
    if (cached) return Buffer.from(cached.pdf);
    const c = await this.ds.getRepository(CertificateEntity).findOneByOrFail({ id });
    const holder = await this.holder(this.ds.manager, c.holderId);
    const cohort = c.cohortId
      ? ((
          await this.ds.query(
            `SELECT c.title, u.full_name AS trainer FROM cohort c JOIN app_user u ON u.id = c.lead_trainer_id WHERE c.id = $1`,
            [c.cohortId],
          )
        )[0] ?? null)
      : null;
    const data: CertificatePdfData = {
      credentialId: c.id,
      holderName: holder.full_name,
      title: { vi: c.titleVi, en: c.titleEn },
      kind: c.kind,
      hours: c.hours,
      level: c.level,
      cohort: cohort && c.kind === CertificateKind.Course ? { title: cohort.title, trainerName: cohort.trainer } : null,
      competencies: this.alignmentCodes(c),
      issuedOn: new Date(c.validFrom),
      validUntil: c.validUntil ? new Date(c.validUntil) : null,
      issuerName: this.config.certification.issuerName,
      signatory: this.config.certification.signatory,
      verifyUrl: this.verifyUrl(c.id),
      locale,
    };
    const bytes = await renderCertificatePdf(data);
    await this.ds.query(
      `INSERT INTO certificate_pdf (certificate_id, locale, pdf) VALUES ($1, $2, $3)
       ON CONFLICT (certificate_id, locale) DO NOTHING`,
      [id, locale, bytes],
    );
    return bytes;
  }
}
