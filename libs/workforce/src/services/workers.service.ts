import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, normalizeText, type UserActor } from '@hocso/common';
import { type Page, paginate } from '@hocso/database';
import { DataSource } from 'typeorm';
import { WorkerEntity } from '../entities/worker.entity';
import { WorkerInvitationEntity } from '../entities/worker-invitation.entity';
import { normalizeWorkerCode } from '../reports/row-validation';
import { addWeeks, weeksBetween } from '../time/iso-week';
import { WorkforceException, WorkforceExceptionCode } from '../workforce.exception';
import { ComplianceService } from './compliance.service';
import { WorkforceAccess } from './workforce-access.service';
import { WorkforceSettingsService } from './workforce-settings.service';

export interface WorkerInput {
  workerCode: string;
  displayName?: string | null;
  activeFrom?: string | null;
  activeTo?: string | null;
}

export const MAX_WORKERS_PER_REQUEST = 50_000;
const INVITATION_DAYS = 14;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Worker rosters: bulk upsert by the enterprise's own worker code, cursor-paged lists, and the
 * invitation a worker accepts to link their Hocso account (never linked silently).
 */
@Injectable()
export class WorkersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: WorkforceAccess,
    private readonly compliance: ComplianceService,
    private readonly settings: WorkforceSettingsService,
  ) {}

  /**
   * PUT semantics per listed worker: the given state replaces the stored one (omitted optional
   * fields become empty); workers not listed are left alone; a linked account stays linked.
   */
  async upsert(
    actor: Actor,
    enterpriseId: string,
    workers: WorkerInput[],
  ): Promise<{ created: number; updated: number; unchanged: number }> {
    await this.access.enterprise(actor, enterpriseId, 'write');
    const seen = new Map<string, number>();
    const rows = workers.map((w, i) => {
      const code = normalizeWorkerCode(w.workerCode);
      if (seen.has(code)) {
        throw new WorkforceException(WorkforceExceptionCode.DUPLICATE_WORKER_CODE, {
          field: `workers.${i}.workerCode`,
        });
      }
      seen.set(code, i);
      if (w.activeFrom && w.activeTo && w.activeTo < w.activeFrom) {
        throw new WorkforceException(WorkforceExceptionCode.ACTIVE_RANGE_INVALID, { field: `workers.${i}.activeTo` });
      }
      const name = w.displayName ? normalizeText(w.displayName) : null;
      return { code, name: name || null, from: w.activeFrom ?? null, to: w.activeTo ?? null };
    });
    // Read before the transaction (settings come through the pool: embedded PGlite has one
    // connection, which the transaction holds — a read inside it waited for ever).
    const pairs = this.windowPairs(enterpriseId, await this.settings.get());
    const changed: Array<{ inserted: boolean }> = await this.ds.transaction(async (em) => {
      const out = await em.query(
        `INSERT INTO worker AS w (enterprise_id, worker_code, display_name, active_from, active_to)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::date[], $5::date[])
         ON CONFLICT (enterprise_id, worker_code) DO UPDATE SET
           display_name = EXCLUDED.display_name, active_from = EXCLUDED.active_from,
           active_to = EXCLUDED.active_to, updated_at = now()
         WHERE (w.display_name, w.active_from, w.active_to)
               IS DISTINCT FROM (EXCLUDED.display_name, EXCLUDED.active_from, EXCLUDED.active_to)
         RETURNING (xmax = 0) AS inserted`,
        [
          enterpriseId,
          rows.map((r) => r.code),
          rows.map((r) => r.name),
          rows.map((r) => r.from),
          rows.map((r) => r.to),
        ],
      );
      if (out.length > 0) await this.compliance.markDirty(em, pairs);
      return out;
    });
    if (changed.length > 0) await this.compliance.enqueue(pairs);
    const created = changed.filter((c) => c.inserted).length;
    return { created, updated: changed.length - created, unchanged: rows.length - changed.length };
  }

  /** Every week of the reporting window up to the current one: roster changes may affect them all. */
  private windowPairs(enterpriseId: string, s: { reportWindowWeeks: number }) {
    const now = this.compliance.currentWeek();
    return weeksBetween(addWeeks(now, -s.reportWindowWeeks), now).map((isoWeek) => ({ enterpriseId, isoWeek }));
  }

  async list(
    actor: Actor,
    enterpriseId: string,
    query: { cursor?: string; limit: number; activeOn?: string },
  ): Promise<Page<WorkerEntity>> {
    await this.access.enterprise(actor, enterpriseId, 'read');
    const qb = this.ds
      .getRepository(WorkerEntity)
      .createQueryBuilder('w')
      .where('w.enterprise_id = :enterpriseId', { enterpriseId });
    if (query.activeOn) {
      qb.andWhere('(w.active_from IS NULL OR w.active_from <= :d) AND (w.active_to IS NULL OR w.active_to >= :d)', {
        d: query.activeOn,
      });
    }
    return paginate(qb, {
      cursor: query.cursor,
      limit: query.limit,
      sortColumn: 'w.worker_code',
      sortValue: (w) => w.workerCode,
    });
  }

  /** A one-time token the enterprise hands to the worker (shown once, stored hashed, 14 days). */
  async invite(
    actor: Actor,
    enterpriseId: string,
    workerCode: string,
  ): Promise<{ token: string; expiresAt: Date; worker: WorkerEntity }> {
    await this.access.enterprise(actor, enterpriseId, 'write');
    const worker = await this.ds
      .getRepository(WorkerEntity)
      .findOneBy({ enterpriseId, workerCode: normalizeWorkerCode(workerCode) });
    if (!worker) throw new WorkforceException(WorkforceExceptionCode.WORKER_NOT_FOUND, { field: 'workerCode' });
    if (worker.userId) throw new WorkforceException(WorkforceExceptionCode.WORKER_ALREADY_LINKED);
    const token = `wi_${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
    await this.ds
      .getRepository(WorkerInvitationEntity)
      .insert({ workerId: worker.id, tokenHash: sha256(token), expiresAt });
    return { token, expiresAt, worker };
  }

  /** The worker, signed in, accepts: their account is linked and their Hocso minutes start to count. */
  async accept(actor: UserActor, token: string): Promise<WorkerEntity> {
    const settings = await this.settings.get(); // before the transaction (see upsert)
    const worker = await this.ds.transaction(async (em) => {
      const inv: Array<{ id: string; worker_id: string }> = await em.query(
        `SELECT id, worker_id FROM worker_invitation
         WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now() FOR UPDATE`,
        [sha256(token)],
      );
      if (!inv[0]) throw new WorkforceException(WorkforceExceptionCode.INVITATION_INVALID, { field: 'token' });
      const linked = await em.query(
        `UPDATE worker SET user_id = $2, linked_at = now(), updated_at = now()
         WHERE id = $1 AND (user_id IS NULL OR user_id = $2) RETURNING id`,
        [inv[0].worker_id, actor.userId],
      );
      if (linked.length === 0) throw new WorkforceException(WorkforceExceptionCode.WORKER_ALREADY_LINKED);
      await em.query(`UPDATE worker_invitation SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [
        inv[0].id,
        actor.userId,
      ]);
      const w = await em.findOneByOrFail(WorkerEntity, { id: inv[0].worker_id });
      await this.compliance.markDirty(em, this.windowPairs(w.enterpriseId, settings));
      return w;
    });
    await this.compliance.enqueue(this.windowPairs(worker.enterpriseId, settings));
    return worker;
  }
}
