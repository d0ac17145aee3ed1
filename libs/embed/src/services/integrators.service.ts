import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, localDate, normalizeText, webhookUrlProblem } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import {
  type ApiKeyScope,
  ApiKeysService,
  type CreatedApiKey,
  isWithin,
  normalizeEmail,
  OrgUnitEntity,
  OrgUnitKind,
  OrgUnitsService,
} from '@hocso/identity';

import type { DataSource } from 'typeorm';
import { EmbedException, EmbedExceptionCode } from '../embed.exception';
import { IntegratorEntity, type UsageKind } from '../entities/integrator.entity';
import { normalizeOrigin, originMatches } from './origins';

export interface IntegratorView {
  integrator: IntegratorEntity;
  name: string;
  code: string;
}

export interface IntegratorInput {
  name: string;
  contactEmail: string;
  allowedOrigins: string[];
  lrs?: { endpoint: string; authorization: string } | null;
}

/** How long the origin list is trusted before it is read again (changes through this service are immediate). */
const ORIGINS_TTL_MS = 30_000;

/**
 * Integrators: the sites and LMSs that embed Hocso. Each is an org unit of kind integrator under
 * the province (so API keys and admin scopes work as for enterprises) with a profile: allowed
 * origins (CORS and frame-ancestors), contact, an optional external LRS, daily usage counters and
 * the learners who came through it.
 */
@Injectable()
export class IntegratorsService {
  private readonly logger = new Logger('Integrators');
  private origins: { at: number; list: Array<{ id: string; origins: string[] }> } | null = null;
  private platforms: { at: number; list: string[] } | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orgUnits: OrgUnitsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async create(actor: Actor, input: IntegratorInput): Promise<IntegratorView> {
    const root = await this.orgUnits.findRoot();
    if (!root) throw new EmbedException(EmbedExceptionCode.INTEGRATOR_NOT_FOUND);
    const origins = this.origins_(input.allowedOrigins);
    const lrs = this.lrs(input.lrs);
    // The unit under the province (OrgUnitsService checks the caller manages the province).
    const unit = await this.orgUnits.create(actor, {
      parentId: root.id,
      kind: OrgUnitKind.Integrator,
      code: `INT-${randomBytes(4).toString('hex').toUpperCase()}`,
      name: input.name,
    });
    const repo = this.ds.getRepository(IntegratorEntity);
    await repo.insert({
      orgUnitId: unit.id,
      contactEmail: normalizeEmail(input.contactEmail),
      allowedOrigins: origins,
      lrsEndpoint: lrs?.endpoint ?? null,
      lrsAuthorization: lrs?.authorization ?? null,
      createdBy: actor.kind === 'user' ? actor.userId : null,
    });
    this.origins = null;
    return this.get(actor, unit.id);
  }

  async update(actor: Actor, id: string, input: Partial<IntegratorInput>): Promise<IntegratorView> {
    await this.get(actor, id);
    const patch: Partial<IntegratorEntity> = {};
    if (input.allowedOrigins) patch.allowedOrigins = this.origins_(input.allowedOrigins);
    if (input.contactEmail) patch.contactEmail = normalizeEmail(input.contactEmail);
    if (input.lrs !== undefined) {
      const lrs = this.lrs(input.lrs);
      patch.lrsEndpoint = lrs?.endpoint ?? null;
      patch.lrsAuthorization = lrs?.authorization ?? null;
      patch.lrsLastError = null;
    }
    if (Object.keys(patch).length) await this.ds.getRepository(IntegratorEntity).update({ orgUnitId: id }, patch);
    if (input.name) {
      await this.ds.getRepository(OrgUnitEntity).update({ id }, { name: normalizeText(input.name) });
    }
    this.origins = null;
    return this.get(actor, id);
  }

  async list(actor: Actor): Promise<IntegratorView[]> {
    const scope = this.orgUnits.adminScopePath(actor);
    if (!scope) throw new EmbedException(EmbedExceptionCode.INTEGRATOR_NOT_FOUND);
    const rows = await this.ds
      .getRepository(IntegratorEntity)
      .createQueryBuilder('i')
      .innerJoinAndMapOne('i.unit', OrgUnitEntity, 'o', 'o.id = i.org_unit_id')
      .where('o.path LIKE :scope', { scope: `${scope}%` })
      .orderBy('o.name')
      .getMany();
    return rows.map((i) => {
      const unit = (i as IntegratorEntity & { unit: OrgUnitEntity }).unit;
      delete (i as Partial<IntegratorEntity & { unit: OrgUnitEntity }>).unit;
      return { integrator: i, name: unit.name, code: unit.code };
    });
  }

  /** Admins over it, or its own API key. */
  async get(actor: Actor, id: string): Promise<IntegratorView> {
    const unit = await this.ds.getRepository(OrgUnitEntity).findOneBy({ id });
    const integrator = unit ? await this.ds.getRepository(IntegratorEntity).findOneBy({ orgUnitId: id }) : null;
    const own = actor.kind === 'api_key' && actor.orgUnitId === id;
    if (!unit || !integrator || !(own || isWithin(this.orgUnits.adminScopePath(actor), unit.path))) {
      throw new EmbedException(EmbedExceptionCode.INTEGRATOR_NOT_FOUND);
    }
    return { integrator, name: unit.name, code: unit.code };
  }

  async createApiKey(actor: Actor, id: string, input: { name: string; scopes: ApiKeyScope[] }): Promise<CreatedApiKey> {
    await this.get(actor, id);
    return this.apiKeys.create(actor, { name: input.name, orgUnitId: id, scopes: input.scopes });
  }

  async usage(
    actor: Actor,
    id: string,
    from: string,
    to: string,
  ): Promise<Array<{ day: string; kind: UsageKind; count: number }>> {
    await this.get(actor, id);
    const rows: Array<{ day: string; kind: UsageKind; count: number }> = await this.ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, count FROM integrator_usage_daily
        WHERE integrator_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day, kind`,
      [id, from, to],
    );
    return rows;
  }

  /** Counts one use (fire and forget: usage never fails a request). */
  recordUsage(integratorId: string | null | undefined, kind: UsageKind): void {
    if (!integratorId) return;
    void this.ds
      .query(
        `INSERT INTO integrator_usage_daily (integrator_id, day, kind, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (integrator_id, day, kind) DO UPDATE SET count = integrator_usage_daily.count + 1`,
        [integratorId, localDate(new Date()), kind],
      )
      .catch((err) => this.logger.debug(`usage not counted: ${(err as Error).message}`));
  }

  /** A learner who came through this integrator (LTI launch, embedded sign-in): their xAPI is its to read. */
  async recordLearner(integratorId: string, userId: string, source: 'lti' | 'embed'): Promise<void> {
    await this.ds.query(
      `INSERT INTO integrator_learner (integrator_id, user_id, source) VALUES ($1, $2, $3)
       ON CONFLICT (integrator_id, user_id) DO NOTHING`,
      [integratorId, userId, source],
    );
  }

  /** Is this browser origin one an integrator registered (CORS)? */
  async isAllowedOrigin(origin: string): Promise<boolean> {
    const list = await this.originList();
    return list.some((i) => i.origins.some((p) => originMatches(p, origin)));
  }

  /**
   * The `frame-ancestors` sources for an embed page: the integrator's own origins when the page
   * names it (?i=<integratorId>), else every registered origin. Never '*'.
   */
  async frameAncestors(integratorId?: string): Promise<string[]> {
    const list = await this.originList();
    const chosen = integratorId ? list.filter((i) => i.id === integratorId) : list;
    // Pages an LTI launch opens sit in the LMS's frame: registered platforms may frame them too.
    const platforms = integratorId ? [] : await this.platformOrigins();
    return [...new Set([...chosen.flatMap((i) => i.origins), ...platforms])].sort();
  }

  /** Origins of the registered LTI platforms (their issuer and login pages), cached like the rest. */
  private async platformOrigins(): Promise<string[]> {
    if (this.platforms && Date.now() - this.platforms.at < ORIGINS_TTL_MS) return this.platforms.list;
    const rows: Array<{ issuer: string; auth_login_url: string }> = await this.ds
      .query(`SELECT issuer, auth_login_url FROM lti_platform`)
      .catch(() => []);
    const origins = new Set<string>();
    for (const r of rows) {
      for (const u of [r.issuer, r.auth_login_url]) {
        try {
          const { origin } = new URL(u);
          if (origin !== 'null') origins.add(origin);
        } catch {
          /* not a URL: nothing to allow */
        }
      }
    }
    this.platforms = { at: Date.now(), list: [...origins] };
    return this.platforms.list;
  }

  /** The integrator whose registered origins include this origin, if exactly one does. */
  async integratorForOrigin(origin: string | undefined): Promise<string | null> {
    if (!origin) return null;
    const hits = (await this.originList()).filter((i) => i.origins.some((p) => originMatches(p, origin)));
    return hits.length === 1 ? hits[0].id : null;
  }

  private async originList(): Promise<Array<{ id: string; origins: string[] }>> {
    if (this.origins && Date.now() - this.origins.at < ORIGINS_TTL_MS) return this.origins.list;
    const rows: Array<{ org_unit_id: string; allowed_origins: string[] }> = await this.ds.query(
      `SELECT org_unit_id, allowed_origins FROM integrator`,
    );
    const list = rows.map((r) => ({ id: r.org_unit_id, origins: r.allowed_origins }));
    this.origins = { at: Date.now(), list };
    return list;
  }

  private origins_(raw: string[]): string[] {
    const allowHttp = this.config.env !== 'production';
    return [...new Set(raw.map((o, i) => normalizeOrigin(o, `allowedOrigins.${i}`, allowHttp)))];
  }

  private lrs(input: IntegratorInput['lrs']): { endpoint: string; authorization: string } | null {
    if (!input) return null;
    const problem = webhookUrlProblem(input.endpoint, this.config.webhooks.allowPrivateNetworks);
    if (problem || (!input.endpoint.startsWith('https://') && this.config.env === 'production')) {
      throw new EmbedException(EmbedExceptionCode.LRS_ENDPOINT_INVALID, { field: 'lrs.endpoint' });
    }
    return { endpoint: input.endpoint.replace(/\/+$/, ''), authorization: input.authorization };
  }
}
