import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@hocso/identity';
import { LearningEventBus, LearningEventType } from '@hocso/learning';
import { JobName, QueueService } from '@hocso/queue';
import { CertificatesService } from './certificates.service';

/** Issuance jobs keep their result a while (duplicates are answered by the job id, then by the table). */
export const CERTIFICATE_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 3000 },
  removeOnComplete: { count: 5000, age: 7 * 24 * 3600 },
  // A failed job must not hold its id: the outbox's redelivery has to be able to queue it again
  // (the unique holder + achievement row is what keeps issuance to one).
  removeOnFail: true,
};

/**
 * Turns completions into issuance jobs: CourseCompleted (learning) and TrainerQualified (cohorts)
 * each add one job whose id is `holder@achievement` — BullMQ refuses ":" in custom ids — so a
 * redelivered event or a retry never queues a second issuance; the unique (holder, achievement)
 * row is the final guard. A failed add throws, and the outbox redelivers the event later.
 */
@Injectable()
export class CertificationEvents implements OnModuleInit {
  constructor(
    private readonly bus: LearningEventBus,
    private readonly queues: QueueService,
    private readonly certificates: CertificatesService,
  ) {}

  onModuleInit() {
    this.bus.subscribe(LearningEventType.CourseCompleted, 'certification', async (e) => {
      await this.queues.add(
        JobName.IssueCertificate,
        { kind: 'course', enrollmentId: e.enrollmentId },
        { ...CERTIFICATE_JOB_OPTIONS, jobId: `${e.userId}@course@${e.courseSlug}` },
      );
    });
    // A revoked qualification revokes its credential (a trainer certificate issued later for the
    // same qualification is not issued at all: the issuer checks the qualification).
    this.bus.subscribe(LearningEventType.TrainerQualificationRevoked, 'certification', async (e) => {
      await this.certificates.revokeAchievement(e.userId, `trainer:${e.qualificationId}`, e.reason);
    });
    this.bus.subscribe(LearningEventType.TrainerQualified, 'certification', async (e) => {
      await this.queues.add(
        JobName.IssueCertificate,
        { kind: 'trainer', qualificationId: e.qualificationId },
        { ...CERTIFICATE_JOB_OPTIONS, jobId: `${e.userId}@trainer@${e.qualificationId}` },
      );
    });
  }
}

/**
 * Certificates in "export / erase my data": export lists them; erasure revokes them (so printed
 * copies and shared credentials show revoked), drops the PDFs and the public profile.
 */
@Injectable()
export class CertificationPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register({
      section: 'certificates',
      export: async (userId, em) => {
        const rows: Array<Record<string, unknown>> = await em.query(
          `SELECT id, kind, title_vi, title_en, valid_from, valid_until, revoked_at, revoke_reason, credential_jwt
             FROM certificate WHERE holder_id = $1 ORDER BY created_at`,
          [userId],
        );
        const [profile] = await em.query(`SELECT handle, enabled FROM public_profile WHERE user_id = $1`, [userId]);
        return { certificates: rows, publicProfile: profile ?? null };
      },
      erase: async (userId, em) => {
        const rows: Array<{ status_list_id: string; status_index: number }> = await em.query(
          `UPDATE certificate SET revoked_at = coalesce(revoked_at, now()), revoke_reason = coalesce(revoke_reason, 'erased')
            WHERE holder_id = $1 RETURNING status_list_id, status_index`,
          [userId],
        );
        const list = (Array.isArray(rows[0]) ? rows[0] : rows) as Array<{
          status_list_id: string;
          status_index: number;
        }>;
        for (const r of list) {
          const bit = Math.floor(r.status_index / 8) * 8 + (7 - (r.status_index % 8));
          await em.query(`UPDATE status_list SET bits = set_bit(bits, $2, 1), updated_at = now() WHERE id = $1`, [
            r.status_list_id,
            bit,
          ]);
        }
        await em.query(
          `DELETE FROM certificate_pdf WHERE certificate_id IN (SELECT id FROM certificate WHERE holder_id = $1)`,
          [userId],
        );
        await em.query(`DELETE FROM public_profile WHERE user_id = $1`, [userId]);
      },
    });
  }
}
