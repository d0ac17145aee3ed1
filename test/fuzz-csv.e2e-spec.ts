import { randomUUID } from 'node:crypto';
import { normalizeText } from '@hocso/common';
import { ROSTER_MAX_ROWS } from '@hocso/cohorts';
import { createTestApp, type TestApp } from '@hocso/testing';
import { REPORT_MAX_ROWS } from '@hocso/workforce';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import {
  edgeString,
  type FuzzBody,
  fcParams,
  Fingerprint,
  type OpenApiDoc,
  probe,
  routeUrl,
  unicodeName,
  type WriteRoute,
  writeRoutes,
} from './fixtures/fuzz-harness';
import { buildFuzzWorld, callerHeaders, type FuzzWorld, type RouteTarget, routeTargets } from './fixtures/fuzz-world';

/**
 * SC8 for the spreadsheet uploads (every route documenting text/csv: training reports, cohort
 * rosters, officials, park enterprise lists, population statistics): CSV bombs — a huge single
 * line, unbalanced quotes, 10^6 columns, a million empty rows, BOM variations, NUL and invalid
 * UTF-8, too many rows, an oversized file — as a text/csv body and as a multipart upload, plus
 * generated CSV. Every answer is < 500 (a 4xx as problem+json), and a refused upload writes
 * nothing. Then generated *valid* names (NFD, emoji, invisible characters) are stored NFC.
 */
describe('fuzz: CSV uploads and valid Unicode input', () => {
  let t: TestApp;
  let w: FuzzWorld;
  let doc: OpenApiDoc;
  let fp: Fingerprint;
  let csvRoutes: Array<{ route: WriteRoute; target: RouteTarget }>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildFuzzWorld(t);
    doc = (await t.http().get('/openapi.json').expect(200)).body;
    fp = Fingerprint.of(t);
    const targets = routeTargets(w);
    csvRoutes = writeRoutes(doc)
      .filter((r) => r.mediaTypes.includes('text/csv'))
      .map((route) => ({ route, target: targets[route.key] }));
  }, 120_000);
  afterAll(() => t?.close());

  const upload = (route: WriteRoute, target: RouteTarget, label: string, body: FuzzBody) =>
    probe(t, fp, `${route.key} [${label}]`, {
      method: route.method,
      url: routeUrl(route, target),
      headers: { ...callerHeaders(w, target.caller), 'Idempotency-Key': randomUUID() },
      query: route.queryNames.includes('asOf') ? 'asOf=2026-01-01' : undefined,
      body,
    });
  const asCsv = (content: string | Buffer): FuzzBody => ({
    kind: 'raw',
    contentType: 'text/csv; charset=utf-8',
    text: content,
  });
  const asFile = (content: string | Buffer): FuzzBody => ({ kind: 'multipart', content });

  it('every CSV route is known (a new one needs a caller and its body limit in fuzz-world.ts)', () => {
    expect(csvRoutes.map((r) => r.route.key).sort()).toEqual([
      'POST /v1/cohorts/{id}/members',
      'POST /v1/enterprises/{id}/training-reports',
      'PUT /v1/industrial-parks/{id}/operating-enterprises',
      'PUT /v1/org-units/{id}/officials',
      'PUT /v1/population-stats',
    ]);
    for (const { route, target } of csvRoutes) {
      expect({ route: route.key, csv: target?.csv, limit: typeof target?.bodyLimit }).toEqual({
        route: route.key,
        csv: true,
        limit: 'number',
      });
    }
  });

  /** Bombs sized for a route: each stays under its body limit, so the parser has to cope. */
  function bombs(limit: number, maxRows: number | undefined): Array<[string, string | Buffer]> {
    const room = Math.min(limit, 4 * 1024 * 1024) - 8 * 1024;
    const header = 'Họ và tên,Email,Mã NV,Ngày,Số phút\n';
    const list: Array<[string, string | Buffer]> = [
      ['huge single line', `${header}${'x'.repeat(room)}`],
      ['huge quoted cell', `${header}"${'a,b\n'.repeat(room / 4)}",1\n`],
      ['unbalanced quote', `${header}"Nguyễn Văn A,a@b.vn,NV1,2026-01-05,30\nTrần B,c@d.vn,NV2,2026-01-05,30\n`],
      ['stray quotes', `${header}Nguyễn "Văn" A,a@b.vn,NV1,2026-01-05,30\n"""",",",""\n`],
      ['10^6 columns', `${','.repeat(1_000_000)}\n${'1,'.repeat(100)}\n`],
      ['10^6 empty rows', `${header}${'\n'.repeat(1_000_000)}`],
      ['empty rows of delimiters', `${header}${',,,,\r\n'.repeat(150_000)}`],
      ['header only', header],
      ['empty', ''],
      ['BOM only', '\ufeff'],
      ['UTF-8 BOM', `\ufeff${header}Nguyễn Văn A,a@b.vn,NV1,2026-01-05,30\n`],
      ['double BOM', `\ufeff\ufeff${header}Nguyễn Văn A,a@b.vn,NV1,2026-01-05,30\n`],
      ['BOM mid-file', `${header}\ufeffNguyễn Văn A,a@b.vn,NV1,2026-01-05,30\n`],
      [
        'UTF-16LE with BOM',
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(`${header}Nguyễn Văn A,a@b.vn,NV1,2026-01-05,30\n`, 'utf16le'),
        ]),
      ],
      [
        'UTF-16BE BOM bytes',
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('\u0000a\u0000,\u0000b', 'latin1')]),
      ],
      ['Windows-1258 bytes', Buffer.from(`${header}Nguy\xean V\xe3n A,a@b.vn,NV1,2026-01-05,30\n`, 'latin1')],
      ['invalid UTF-8', Buffer.concat([Buffer.from(header), Buffer.from([0xed, 0xa0, 0x80, 0x2c, 0xc3, 0x28, 0x0a])])],
      ['NUL bytes', `${header}Nguyễn\u0000Văn A,a@b.vn\u0000,NV1,2026-01-05,30\n`],
      ['semicolons and tabs', `Họ và tên;Email\tMã NV;Ngày\n"a;b";c\td\n`],
      ['formula injection', `${header}=cmd|' /C calc'!A0,@SUM(1+1),+1,-1,30\n`],
      ['bare CR line ends', `${header.trim()}\rNguyễn Văn A,a@b.vn,NV1,2026-01-05,30\r`],
    ];
    if (maxRows) {
      list.push([
        'one row over the limit',
        `${header}${'Nguyễn Văn A,a@b.vn,NV1,2026-01-05,30\n'.repeat(maxRows + 1)}`,
      ]);
    }
    return list;
  }

  const MAX_ROWS: Record<string, number> = {
    'POST /v1/cohorts/{id}/members': ROSTER_MAX_ROWS,
    'POST /v1/enterprises/{id}/training-reports': REPORT_MAX_ROWS,
  };

  it('CSV bombs: never a 5xx, refusals are problem+json and write nothing', async () => {
    const failures: string[] = [];
    for (const { route, target } of csvRoutes) {
      const limit = target.bodyLimit ?? t.config.http.bodyLimitBytes;
      for (const [i, [label, content]] of bombs(limit, MAX_ROWS[route.key]).entries()) {
        // Big bombs once (alternating body and upload), small ones both ways.
        const ways = content.length > 64 * 1024 ? [i % 2 ? asFile : asCsv] : [asCsv, asFile];
        for (const way of ways) {
          try {
            const started = Date.now();
            const res = await upload(
              route,
              target,
              `${label} ${way === asCsv ? 'text/csv' : 'multipart'}`,
              way(content),
            );
            if (process.env.FUZZ_VERBOSE) {
              process.stdout.write(`${route.key} ${label}: ${res.status} ${Date.now() - started} ms\n`);
            }
          } catch (err) {
            failures.push((err as Error).message.slice(0, 800));
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('a CSV over the route body limit is 413 (body and upload), and writes nothing', async () => {
    const wrong: string[] = [];
    for (const { route, target } of csvRoutes) {
      const limit = target.bodyLimit ?? t.config.http.bodyLimitBytes;
      const big = `Họ và tên,Email\n${'Nguyễn Văn A,a@b.vn\n'.repeat(Math.ceil((limit + 4096) / 20))}`;
      for (const body of [asCsv(big), asFile(big)]) {
        const res = await upload(route, target, 'over the limit', body);
        if (res.status !== 413 && res.status !== 429) wrong.push(`${route.key} ${body.kind}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('generated CSV (random cells, delimiters, line ends, quotes) never fails', async () => {
    const cell = fc.oneof(
      edgeString(),
      unicodeName(),
      fc.constantFrom('2026-01-05', '30', '-1', '1e9', 'NV1', w.learner.user.email ?? 'a@b.vn', '"', '""'),
    );
    const csv = fc
      .tuple(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
      )
      .map(([rows, d, nl, quote]) =>
        rows.map((r) => r.map((c) => (quote ? `"${c.replace(/"/g, '""')}"` : c)).join(d)).join(nl),
      );
    await fc.assert(
      fc.asyncProperty(fc.nat(csvRoutes.length - 1), csv, fc.boolean(), async (i, text, file) => {
        const { route, target } = csvRoutes[i];
        await upload(route, target, 'generated', file ? asFile(text) : asCsv(text));
      }),
      fcParams(40),
    );
  }, 120_000);

  it('valid names in NFD, with emoji or invisible marks, are accepted and stored NFC', async () => {
    const ds = t.app.get(DataSource);
    await fc.assert(
      fc.asyncProperty(unicodeName(), async (name) => {
        const res = await w.learner.agent.patch('/v1/me').send({ fullName: name });
        expect(res.status).toBe(200);
        const [row] = await ds.query(`SELECT full_name FROM app_user WHERE id = $1`, [w.learner.user.id]);
        expect(row.full_name).toBe(normalizeText(name));
        expect(row.full_name).toBe(row.full_name.normalize('NFC'));
        expect(res.body.fullName).toBe(row.full_name);
      }),
      fcParams(15),
    );
    await fc.assert(
      fc.asyncProperty(unicodeName(), fc.constantFrom<'NFC' | 'NFD'>('NFC', 'NFD'), async (name, form) => {
        const res = await w.provinceAdmin.agent
          .post('/v1/industrial-parks')
          .send({ name: `KCN ${name}`.normalize(form), code: `KCN-${randomUUID().slice(0, 8)}` });
        expect(res.status).toBe(201);
        expect(res.body.name).toBe(normalizeText(`KCN ${name}`));
      }),
      fcParams(8),
    );
  }, 120_000);
});
