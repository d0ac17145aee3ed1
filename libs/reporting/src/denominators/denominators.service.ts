import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, foldDiacritics, localDate } from '@hocso/common';
import { normalizeEmail, normalizeVietnamesePhone } from '@hocso/identity';
import { QueueService } from '@hocso/queue';
import { addDays } from '@hocso/workforce';
import { isEmail } from 'class-validator';
import type { DataSource } from 'typeorm';
import { ReportingException, ReportingExceptionCode } from '../reporting.exception';
import { assertAdmin } from '../services/kpi-definitions.service';
import { refreshOpenWeek } from '../services/refresh';
import { ReportScope, type ScopedUnit } from '../services/report-scope';
import { parseCount, parseDate, readUpload, RowErrors, text, type UploadSpec } from './upload';

type StatField = 'orgUnitCode' | 'period' | 'population' | 'workingAge' | 'aiTargetAge' | 'source' | 'sourceDate';
type OfficialField = 'fullName' | 'email' | 'phone' | 'contact' | 'position';
type ParkField = 'taxCode' | 'name' | 'operatingFrom' | 'operatingTo';

export const POPULATION_UPLOAD: UploadSpec<StatField> = {
  aliases: {
    orgUnitCode: [
      'mã đơn vị',
      'mã đv',
      'mã xã',
      'mã xã/phường',
      'mã đơn vị hành chính',
      'org unit code',
      'orgunitcode',
    ],
    period: ['năm', 'kỳ', 'năm số liệu', 'year', 'period'],
    population: ['dân số', 'tổng dân số', 'population'],
    workingAge: [
      'dân số trong độ tuổi lao động',
      'trong độ tuổi lao động',
      'độ tuổi lao động',
      'working age',
      'workingage',
      'working age population',
    ],
    aiTargetAge: ['dân số độ tuổi mục tiêu ai', 'độ tuổi mục tiêu ai', 'ai target age', 'aitargetage'],
    source: ['nguồn', 'nguồn số liệu', 'source'],
    sourceDate: ['ngày số liệu', 'ngày công bố', 'source date', 'sourcedate'],
  },
  required: ['orgUnitCode', 'period', 'source', 'sourceDate'],
  maxRows: 10_000,
};

export const OFFICIALS_UPLOAD: UploadSpec<OfficialField> = {
  aliases: {
    fullName: ['họ và tên', 'họ tên', 'tên', 'full name', 'fullname', 'name'],
    email: ['email', 'e-mail', 'thư điện tử', 'địa chỉ email'],
    phone: ['số điện thoại', 'sđt', 'điện thoại', 'di động', 'phone', 'mobile'],
    contact: ['email hoặc sđt', 'email/sđt', 'liên hệ', 'contact'],
    position: ['chức vụ', 'vị trí', 'vị trí việc làm', 'nhóm', 'position', 'title'],
  },
  required: [],
  maxRows: 20_000,
};

export const PARK_LIST_UPLOAD: UploadSpec<ParkField> = {
  aliases: {
    taxCode: ['mã số thuế', 'mst', 'mã số doanh nghiệp', 'tax code', 'taxcode'],
    name: ['tên doanh nghiệp', 'tên', 'doanh nghiệp', 'name', 'enterprise'],
    operatingFrom: ['ngày hoạt động', 'hoạt động từ', 'từ ngày', 'operating from', 'operatingfrom'],
    operatingTo: ['ngừng hoạt động', 'đến ngày', 'ngày ngừng hoạt động', 'operating to', 'operatingto'],
  },
  required: ['taxCode', 'name'],
  maxRows: 5_000,
};

const TAX_CODE = /^[0-9]{10}(-[0-9]{3})?$/;
const LEADER = /\b(lanh dao|quan ly|giam doc|truong|pho|chu tich|bi thu|chanh|leader|manager|head|director|chief)\b/;

/** "Giám đốc", "Phó Trưởng phòng", "lãnh đạo, quản lý" → leader; anything else → staff. */
export function positionOf(value: string | undefined): 'leader' | 'staff' {
  if (!value) return 'staff';
  const key = foldDiacritics(value);
  if (/\b(staff|cong chuc|vien chuc|chuyen vien|nhan vien|can bo)\b/.test(key) && !LEADER.test(key)) return 'staff';
  return LEADER.test(key) ? 'leader' : 'staff';
}

/**
 * The denominators the KPIs divide by, uploaded as spreadsheets or JSON: population statistics per
 * unit and year (source and date kept), the officials' roster of each agency, and each park's list
 * of operating enterprises. Every upload is checked whole: one bad row refuses it (nothing saved).
 */
@Injectable()
export class DenominatorsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly scope: ReportScope,
    private readonly queues: QueueService,
  ) {}

  async putPopulationStats(actor: Actor, contentType: string | undefined, body: unknown, locale: 'vi' | 'en' = 'vi') {
    assertAdmin(actor);
    const upload = readUpload(POPULATION_UPLOAD, contentType, body);
    const errors = new RowErrors(locale);
    const codes = [
      ...new Set(upload.rows.map((r) => text(r.values.orgUnitCode, 32)).filter((c) => typeof c === 'string')),
    ];
    const units: Array<{ id: string; code: string; path: string }> = await this.ds.query(
      `SELECT id, code, path FROM org_unit WHERE code = ANY($1::text[])`,
      [codes],
    );
    const byCode = new Map(units.filter((u) => this.scope.covers(actor, u.path)).map((u) => [u.code, u]));
    const seen = new Set<string>();
    const out: Array<{
      unitId: string;
      period: string;
      metric: string;
      value: number;
      source: string;
      sourceDate: string;
    }> = [];
    for (const r of upload.rows) {
      if (r.invalid) {
        errors.add(r.rowNumber, '', 'type');
        continue;
      }
      const v = r.values;
      const code = text(v.orgUnitCode, 32);
      const unit = typeof code === 'string' ? byCode.get(code) : undefined;
      if (code === undefined) errors.add(r.rowNumber, 'orgUnitCode', 'required');
      else if (!unit) errors.add(r.rowNumber, 'orgUnitCode', 'unknownUnit');
      const period = typeof v.period === 'number' ? String(v.period) : text(v.period, 4);
      if (period === undefined) errors.add(r.rowNumber, 'period', 'required');
      else if (typeof period !== 'string' || !/^(19|20|21)\d{2}$/.test(period))
        errors.add(r.rowNumber, 'period', 'year');
      const source = text(v.source, 300);
      if (source === undefined) errors.add(r.rowNumber, 'source', 'required');
      else if (source === null) errors.add(r.rowNumber, 'source', 'type');
      else if (source === 'tooLong') errors.add(r.rowNumber, 'source', 'tooLong');
      const sourceDate = parseDate(v.sourceDate);
      if (sourceDate === undefined) errors.add(r.rowNumber, 'sourceDate', 'required');
      else if (sourceDate === null) errors.add(r.rowNumber, 'sourceDate', 'date');
      const metrics: Array<[StatField, string]> = [
        ['population', 'population'],
        ['workingAge', 'working_age'],
        ['aiTargetAge', 'ai_target_age'],
      ];
      let any = false;
      const values: Array<[string, number]> = [];
      for (const [field, metric] of metrics) {
        const count = parseCount(v[field]);
        if (count === null) errors.add(r.rowNumber, field, 'count');
        else if (count !== undefined) {
          any = true;
          values.push([metric, count]);
        }
      }
      if (!any && metrics.every(([f]) => parseCount(v[f]) !== null)) errors.add(r.rowNumber, 'workingAge', 'noMetric');
      if (unit && typeof period === 'string') {
        const key = `${unit.id}|${period}`;
        if (seen.has(key)) errors.add(r.rowNumber, 'orgUnitCode', 'duplicate');
        seen.add(key);
        if (typeof source === 'string' && sourceDate) {
          for (const [metric, value] of values)
            out.push({ unitId: unit.id, period, metric, value, source, sourceDate });
        }
      }
    }
    errors.throwIfAny(upload.rows.length);
    await this.ds.query(
      `INSERT INTO population_stat (org_unit_id, period, metric, value, source, source_date, imported_by)
       SELECT u, p, m, v, s, d, $7 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::date[]) AS t(u, p, m, v, s, d)
       ON CONFLICT (org_unit_id, period, metric) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source,
         source_date = EXCLUDED.source_date, imported_by = EXCLUDED.imported_by, imported_at = now()`,
      [
        out.map((o) => o.unitId),
        out.map((o) => o.period),
        out.map((o) => o.metric),
        out.map((o) => o.value),
        out.map((o) => o.source),
        out.map((o) => o.sourceDate),
        actor.kind === 'user' ? actor.userId : null,
      ],
    );
    await refreshOpenWeek(this.queues);
    return { rows: upload.rows.length, figures: out.length, units: new Set(out.map((o) => o.unitId)).size };
  }

  async listPopulationStats(actor: Actor, query: { orgUnitId?: string; period?: string }) {
    const unit = await this.scope.unit(actor, query.orgUnitId);
    if (query.period !== undefined && !/^\d{4}$/.test(query.period)) {
      throw new ReportingException(ReportingExceptionCode.PERIOD_INVALID, { field: 'period' });
    }
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT o.id AS "orgUnitId", o.code AS "orgUnitCode", o.name AS "orgUnitName", s.period, s.metric, s.value, s.source,
              to_char(s.source_date, 'YYYY-MM-DD') AS "sourceDate", s.imported_at AS "importedAt"
         FROM population_stat s JOIN org_unit o ON o.id = s.org_unit_id
        WHERE o.path LIKE $1 || '%' AND ($2::text IS NULL OR s.period = $2)
        ORDER BY o.code, s.period, s.metric`,
      [unit.path, query.period ?? null],
    );
    return rows.map((r) => ({ ...r, importedAt: new Date(r.importedAt as string).toISOString() }));
  }

  private async unitOfKind(actor: Actor, id: string, kind: string): Promise<ScopedUnit> {
    const unit = await this.scope.unit(actor, id, 'id');
    if (unit.kind !== kind) throw new ReportingException(ReportingExceptionCode.WRONG_UNIT_KIND, { field: 'id' });
    return unit;
  }

  private asOf(value: unknown, field: string): string {
    if (value === undefined || value === null || value === '') return localDate(new Date());
    const d = parseDate(value);
    if (!d || d > localDate(new Date()))
      throw new ReportingException(ReportingExceptionCode.UPLOAD_MALFORMED, { field });
    return d;
  }

  /**
   * Replaces an agency's roster as of a date: people on the list stay (position and name updated)
   * or join from that date; people on the roster but not on the list leave the day before. History
   * is kept, so past periods keep their denominators.
   */
  async putOfficials(
    actor: Actor,
    agencyId: string,
    contentType: string | undefined,
    body: unknown,
    asOfParam?: string,
    locale: 'vi' | 'en' = 'vi',
  ) {
    const agency = await this.unitOfKind(actor, agencyId, 'agency');
    const upload = readUpload(OFFICIALS_UPLOAD, contentType, body);
    const asOf = this.asOf(asOfParam ?? upload.extra.asOf, 'asOf');
    const errors = new RowErrors(locale);
    const people: Array<{ email: string | null; phone: string | null; fullName: string | null; position: string }> = [];
    const seen = new Map<string, number>();
    for (const r of upload.rows) {
      if (r.invalid) {
        errors.add(r.rowNumber, '', 'type');
        continue;
      }
      const v = r.values;
      const contact = text(v.contact, 254);
      const contactIsEmail = typeof contact === 'string' && contact.includes('@');
      const rawEmail = text(v.email, 254) ?? (contactIsEmail ? contact : undefined);
      const rawPhone = text(v.phone, 32) ?? (!contactIsEmail && typeof contact === 'string' ? contact : undefined);
      let email: string | null = null;
      let phone: string | null = null;
      if (typeof rawEmail === 'string' && rawEmail !== 'tooLong') {
        if (isEmail(rawEmail)) email = normalizeEmail(rawEmail);
        else errors.add(r.rowNumber, 'email', 'email');
      } else if (rawEmail !== undefined) errors.add(r.rowNumber, 'email', rawEmail === 'tooLong' ? 'tooLong' : 'type');
      if (typeof rawPhone === 'string' && rawPhone !== 'tooLong') {
        try {
          phone = normalizeVietnamesePhone(rawPhone);
        } catch {
          errors.add(r.rowNumber, 'phone', 'phone');
        }
      } else if (rawPhone !== undefined) errors.add(r.rowNumber, 'phone', rawPhone === 'tooLong' ? 'tooLong' : 'type');
      if (rawEmail === undefined && rawPhone === undefined) errors.add(r.rowNumber, 'email', 'contact');
      const fullName = text(v.fullName, 120);
      if (fullName === null || fullName === 'tooLong')
        errors.add(r.rowNumber, 'fullName', fullName === null ? 'type' : 'tooLong');
      const position = text(v.position, 200);
      if (position === null || position === 'tooLong')
        errors.add(r.rowNumber, 'position', position === null ? 'type' : 'tooLong');
      const key = email ?? phone;
      if (key) {
        if (seen.has(key)) errors.add(r.rowNumber, email ? 'email' : 'phone', 'duplicate');
        seen.set(key, r.rowNumber);
        people.push({
          email,
          phone: email ? phone : phone,
          fullName: typeof fullName === 'string' && fullName !== 'tooLong' ? fullName : null,
          position: positionOf(typeof position === 'string' ? position : undefined),
        });
      }
    }
    errors.throwIfAny(upload.rows.length);
    const result = await this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`official-roster:${agency.id}`]);
      const open: Array<{ id: string; email: string | null; phone: string | null; active_from: string }> =
        await em.query(
          `SELECT id, email, phone, to_char(active_from, 'YYYY-MM-DD') AS active_from FROM official_roster
          WHERE agency_id = $1 AND active_to IS NULL`,
          [agency.id],
        );
      const openByKey = new Map(open.map((o) => [o.email ?? o.phone, o]));
      let joined = 0;
      let kept = 0;
      for (const p of people) {
        const existing = openByKey.get(p.email ?? p.phone);
        if (existing) {
          openByKey.delete(p.email ?? p.phone);
          kept++;
          await em.query(
            `UPDATE official_roster SET position = $2, full_name = coalesce($3, full_name), phone = coalesce($4, phone),
               updated_by = $5, updated_at = now() WHERE id = $1`,
            [existing.id, p.position, p.fullName, p.phone, actor.kind === 'user' ? actor.userId : null],
          );
        } else {
          joined++;
          await em.query(
            `INSERT INTO official_roster (agency_id, email, phone, full_name, position, active_from, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              agency.id,
              p.email,
              p.email ? p.phone : p.phone,
              p.fullName,
              p.position,
              asOf,
              actor.kind === 'user' ? actor.userId : null,
            ],
          );
        }
      }
      // Those not on the new list left the day before it; a row opened that same day is removed.
      let left = 0;
      for (const o of openByKey.values()) {
        left++;
        if (o.active_from >= asOf) await em.query(`DELETE FROM official_roster WHERE id = $1`, [o.id]);
        else
          await em.query(`UPDATE official_roster SET active_to = $2, updated_at = now() WHERE id = $1`, [
            o.id,
            addDays(asOf, -1),
          ]);
      }
      return { rows: upload.rows.length, joined, kept, left, asOf };
    });
    await refreshOpenWeek(this.queues);
    return result;
  }

  async listOfficials(actor: Actor, agencyId: string) {
    const agency = await this.unitOfKind(actor, agencyId, 'agency');
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT r.id, r.full_name AS "fullName", r.email, r.phone, r.position,
              to_char(r.active_from, 'YYYY-MM-DD') AS "activeFrom", to_char(r.active_to, 'YYYY-MM-DD') AS "activeTo",
              (u.id IS NOT NULL) AS "hasAccount"
         FROM official_roster r
         LEFT JOIN app_user u ON u.status <> 'erased' AND ((r.email IS NOT NULL AND u.email = r.email) OR (r.email IS NULL AND u.phone = r.phone))
        WHERE r.agency_id = $1 AND r.active_to IS NULL ORDER BY r.full_name NULLS LAST, r.email, r.phone`,
      [agency.id],
    );
    return { agencyId: agency.id, items: rows };
  }

  /**
   * Replaces a park's list of operating enterprises as of a date: listed enterprises are upserted
   * by tax code; those no longer listed are delisted from that date (kept for past periods).
   */
  async putParkEnterprises(
    actor: Actor,
    parkId: string,
    contentType: string | undefined,
    body: unknown,
    asOfParam?: string,
    locale: 'vi' | 'en' = 'vi',
  ) {
    const park = await this.unitOfKind(actor, parkId, 'industrial_park');
    const upload = readUpload(PARK_LIST_UPLOAD, contentType, body);
    const asOf = this.asOf(asOfParam ?? upload.extra.asOf, 'asOf');
    const errors = new RowErrors(locale);
    const list: Array<{ taxCode: string; name: string; from: string | null; to: string | null }> = [];
    const seen = new Set<string>();
    for (const r of upload.rows) {
      if (r.invalid) {
        errors.add(r.rowNumber, '', 'type');
        continue;
      }
      const v = r.values;
      const taxCode = text(v.taxCode, 14);
      if (taxCode === undefined) errors.add(r.rowNumber, 'taxCode', 'required');
      else if (typeof taxCode !== 'string' || !TAX_CODE.test(taxCode)) errors.add(r.rowNumber, 'taxCode', 'taxCode');
      else if (seen.has(taxCode)) errors.add(r.rowNumber, 'taxCode', 'duplicate');
      const name = text(v.name, 300);
      if (name === undefined) errors.add(r.rowNumber, 'name', 'required');
      else if (name === null || name === 'tooLong') errors.add(r.rowNumber, 'name', name === null ? 'type' : 'tooLong');
      const from = parseDate(v.operatingFrom);
      const to = parseDate(v.operatingTo);
      if (from === null) errors.add(r.rowNumber, 'operatingFrom', 'date');
      if (to === null) errors.add(r.rowNumber, 'operatingTo', 'date');
      if (from && to && to < from) errors.add(r.rowNumber, 'operatingTo', 'dateOrder');
      if (typeof taxCode === 'string' && TAX_CODE.test(taxCode) && typeof name === 'string' && name !== 'tooLong') {
        seen.add(taxCode);
        list.push({ taxCode, name, from: from ?? null, to: to ?? null });
      }
    }
    errors.throwIfAny(upload.rows.length);
    const by = actor.kind === 'user' ? actor.userId : null;
    const result = await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO park_enterprise (park_id, tax_code, name, operating_from, operating_to, listed_on, updated_by)
         SELECT $1, t, n, f, o, $6, $7 FROM unnest($2::text[], $3::text[], $4::date[], $5::date[]) AS x(t, n, f, o)
         ON CONFLICT (park_id, tax_code) DO UPDATE SET name = EXCLUDED.name, operating_from = EXCLUDED.operating_from,
           operating_to = EXCLUDED.operating_to, delisted_on = NULL,
           listed_on = CASE WHEN park_enterprise.delisted_on IS NULL THEN park_enterprise.listed_on ELSE EXCLUDED.listed_on END,
           updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [
          park.id,
          list.map((l) => l.taxCode),
          list.map((l) => l.name),
          list.map((l) => l.from),
          list.map((l) => l.to),
          asOf,
          by,
        ],
      );
      const delisted = await em.query(
        `UPDATE park_enterprise SET delisted_on = $3, updated_by = $4, updated_at = now()
          WHERE park_id = $1 AND delisted_on IS NULL AND NOT (tax_code = ANY($2::text[]))`,
        [park.id, list.map((l) => l.taxCode), asOf, by],
      );
      const count = Array.isArray(delisted) && typeof delisted[1] === 'number' ? delisted[1] : 0;
      const [registered] = await em.query(
        `SELECT count(*)::int AS n FROM enterprise WHERE tax_code = ANY($1::text[])`,
        [list.map((l) => l.taxCode)],
      );
      return { rows: upload.rows.length, listed: list.length, registered: registered.n, delisted: count, asOf };
    });
    await refreshOpenWeek(this.queues);
    return result;
  }

  async listParkEnterprises(actor: Actor, parkId: string) {
    const park = await this.unitOfKind(actor, parkId, 'industrial_park');
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT pe.tax_code AS "taxCode", pe.name, to_char(pe.operating_from, 'YYYY-MM-DD') AS "operatingFrom",
              to_char(pe.operating_to, 'YYYY-MM-DD') AS "operatingTo", to_char(pe.listed_on, 'YYYY-MM-DD') AS "listedOn",
              to_char(pe.delisted_on, 'YYYY-MM-DD') AS "delistedOn", e.org_unit_id AS "enterpriseId"
         FROM park_enterprise pe LEFT JOIN enterprise e ON e.tax_code = pe.tax_code
        WHERE pe.park_id = $1 ORDER BY pe.delisted_on NULLS FIRST, pe.name`,
      [park.id],
    );
    return { parkId: park.id, items: rows };
  }
}
