import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, assertDeliverable, hasRole, isUuid, Role } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { decodeCursor, encodeCursor, InvalidCursorError } from '@hocso/database';

import type { DataSource } from 'typeorm';
import { EmbedException, EmbedExceptionCode } from '../embed.exception';
import { IntegratorEntity } from '../entities/integrator.entity';

export interface XapiQuery {
  since?: string;
  until?: string;
  /** JSON of an Agent: {"account": {"homePage": PUBLIC_URL, "name": "<user id>"}} */
  agent?: string;
  verb?: string;
  activity?: string;
  limit: number;
  cursor?: string;
}

/** 0001-01-01 and 9999-12-31T23:59:59.999Z (Date.UTC maps years 0–99 to 19xx). */
const MIN_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const MAX_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** Statements newer than this are not forwarded yet: transactions still committing could land behind the watermark. */
const SETTLE_MS = 5000;
const FORWARD_BATCH = 500;

/**
 * xAPI for integrators: the statements of the learners who came through them (LTI launches,
 * embedded sign-ins), read with the xAPI query filters and `more` paging, and — when the
 * integrator registered an LRS — forwarded there by a sweep job that keeps a watermark
 * (stored, id), so every statement is sent in order, at least once; failures stay visible.
 */
@Injectable()
export class XapiExportService {
  private readonly logger = new Logger('XapiExport');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async statements(actor: Actor, q: XapiQuery): Promise<{ statements: unknown[]; more: string }> {
    const integratorId = actor.kind === 'api_key' ? actor.orgUnitId : null;
    if (!integratorId && !hasRole(actor, Role.ProvinceAdmin)) {
      throw new EmbedException(EmbedExceptionCode.INTEGRATOR_NOT_FOUND);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (integratorId) {
      where.push(`s.user_id IN (SELECT user_id FROM integrator_learner WHERE integrator_id = ${p(integratorId)})`);
    }
    const instant = (v: string | undefined, field: string) => {
      if (v === undefined) return undefined;
      const t = Date.parse(v);
      // Years 0001–9999 only (PostgreSQL and ISO 8601 agree there).
      if (Number.isNaN(t) || t < MIN_INSTANT || t > MAX_INSTANT) {
        throw new EmbedException(EmbedExceptionCode.XAPI_QUERY_INVALID, { field });
      }
      return new Date(t);
    };
    const since = instant(q.since, 'since');
    const until = instant(q.until, 'until');
    if (since) where.push(`s.stored > ${p(since)}`);
    if (until) where.push(`s.stored <= ${p(until)}`);
    if (q.verb) where.push(`s.verb = ${p(q.verb)}`);
    if (q.activity) where.push(`s.statement->'object'->>'id' = ${p(q.activity)}`);
    if (q.agent) {
      let agent: { account?: { homePage?: string; name?: string } };
      try {
        agent = JSON.parse(q.agent);
      } catch {
        throw new EmbedException(EmbedExceptionCode.XAPI_QUERY_INVALID, { field: 'agent' });
      }
      const name = agent?.account?.name;
      if (agent?.account?.homePage !== this.config.http.publicUrl || typeof name !== 'string' || !isUuid(name)) {
        // An agent from another system has no statements here.
        return { statements: [], more: '' };
      }
      where.push(`s.user_id = ${p(name)}`);
    }
    if (q.cursor) {
      let c: { v: string | number; id: string };
      try {
        c = decodeCursor(q.cursor);
      } catch (err) {
        if (err instanceof InvalidCursorError)
          throw new EmbedException(EmbedExceptionCode.XAPI_QUERY_INVALID, { field: 'cursor' });
        throw err;
      }
      if (typeof c.v !== 'string' || Number.isNaN(Date.parse(c.v)) || !isUuid(c.id)) {
        throw new EmbedException(EmbedExceptionCode.XAPI_QUERY_INVALID, { field: 'cursor' });
      }
      where.push(`(s.stored, s.id) > (${p(new Date(c.v))}, ${p(c.id)})`);
    }
    const rows: Array<{ id: string; stored: Date; statement: Record<string, unknown> }> = await this.ds.query(
      `SELECT s.id, s.stored, s.statement FROM xapi_statement s
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY s.stored, s.id LIMIT ${p(q.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    let more = '';
    if (rows.length > q.limit) {
      const last = page[page.length - 1];
      const next = new URLSearchParams();
      for (const k of ['since', 'until', 'agent', 'verb', 'activity'] as const) if (q[k]) next.set(k, q[k] as string);
      next.set('limit', String(q.limit));
      next.set('cursor', encodeCursor({ v: new Date(last.stored).toISOString(), id: last.id }));
      more = `/v1/xapi/statements?${next}`;
    }
    return { statements: page.map((r) => ({ ...r.statement, stored: new Date(r.stored).toISOString() })), more };
  }

  /** The job: forward each integrator's new statements to its LRS. */
  async forward(integratorId?: string): Promise<{ integrators: number; sent: number; failed: number }> {
    const list = await this.ds
      .getRepository(IntegratorEntity)
      .createQueryBuilder('i')
      .addSelect('i.lrsAuthorization')
      .where('i.lrs_endpoint IS NOT NULL')
      .andWhere(integratorId ? 'i.org_unit_id = :integratorId' : '1=1', { integratorId })
      .getMany();
    let sent = 0;
    let failed = 0;
    for (const integrator of list) {
      try {
        sent += await this.forwardOne(integrator);
      } catch (err) {
        failed++;
        const message = (err as Error).message.slice(0, 500);
        this.logger.warn(`xAPI forwarding to ${integrator.orgUnitId}'s LRS failed: ${message}`);
        await this.ds.query(
          `UPDATE integrator SET lrs_last_error = $2, lrs_last_attempt_at = now() WHERE org_unit_id = $1`,
          [integrator.orgUnitId, message],
        );
      }
    }
    return { integrators: list.length, sent, failed };
  }

  private async forwardOne(integrator: IntegratorEntity & { lrsForwardedId?: string | null }): Promise<number> {
    const [mark] = await this.ds.query(
      `SELECT lrs_forwarded_until, lrs_forwarded_id FROM integrator WHERE org_unit_id = $1`,
      [integrator.orgUnitId],
    );
    const until = new Date(Date.now() - SETTLE_MS);
    let total = 0;
    let after = { stored: mark?.lrs_forwarded_until as Date | null, id: mark?.lrs_forwarded_id as string | null };
    for (;;) {
      const rows: Array<{ id: string; stored: Date; statement: Record<string, unknown> }> = await this.ds.query(
        `SELECT s.id, s.stored, s.statement FROM xapi_statement s
          WHERE s.user_id IN (SELECT user_id FROM integrator_learner WHERE integrator_id = $1)
            AND s.stored <= $2
            AND ($3::timestamptz IS NULL OR (s.stored, s.id) > ($3::timestamptz, coalesce($4::uuid, '00000000-0000-0000-0000-000000000000')))
          ORDER BY s.stored, s.id LIMIT ${FORWARD_BATCH}`,
        [integrator.orgUnitId, until, after.stored, after.id],
      );
      if (!rows.length) break;
      await assertDeliverable(integrator.lrsEndpoint as string, this.config.webhooks.allowPrivateNetworks);
      const res = await fetch(integrator.lrsEndpoint as string, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Experience-API-Version': '2.0.0',
          ...(integrator.lrsAuthorization ? { Authorization: integrator.lrsAuthorization } : {}),
        },
        body: JSON.stringify(rows.map((r) => r.statement)),
        redirect: 'error',
        signal: AbortSignal.timeout(15_000),
      });
      // Only the status matters: the body (whatever its size) is not read.
      await res.body?.cancel().catch(() => undefined);
      // 409: the LRS already has (some of) these ids — statements are immutable, so that is success.
      if (!res.ok && res.status !== 409) throw new Error(`LRS answered ${res.status}`);
      const last = rows[rows.length - 1];
      after = { stored: last.stored, id: last.id };
      await this.ds.query(
        `UPDATE integrator SET lrs_forwarded_until = $2, lrs_forwarded_id = $3, lrs_sent = lrs_sent + $4,
                lrs_last_error = NULL, lrs_last_attempt_at = now() WHERE org_unit_id = $1`,
        [integrator.orgUnitId, last.stored, last.id, rows.length],
      );
      total += rows.length;
      if (rows.length < FORWARD_BATCH) break;
    }
    return total;
  }
}
