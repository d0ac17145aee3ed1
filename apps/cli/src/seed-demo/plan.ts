import { randomUUID } from 'node:crypto';
import { addDays } from '@hocso/workforce';
import {
  DEPARTMENTS,
  DOMESTIC_NAMES,
  ENTERPRISE_SECTORS,
  FDI_NAMES,
  HIGHER_EDUCATION,
  PARKS,
  POPULATION_SOURCE,
} from './names';
import { apportion, buckets, nfc, Rng } from './random';
import { type Scale, segments } from './scales';

/**
 * The part of the demo planned in TypeScript: the few thousand rows whose relationships need
 * decisions (org units, parks and enterprises, trainers and their ToT lineage, cohorts and their
 * leads, population figures). The millions of people, enrollments, minutes and sessions are then
 * generated inside PostgreSQL from these plans (see generate.ts).
 */

export const PROVINCE_POPULATION = 1_799_489;
/** How many slots the weighted pick arrays have (SQL: arr[1 + floor(u * slots)]). */
const SLOTS = 4096;

export interface CommuneRow {
  id: string;
  code: string;
  name: string;
  kind: 'ward' | 'commune';
  path: string;
}

export interface ExistingUnit {
  id: string;
  kind: string;
  name: string;
  parent_id: string | null;
  path: string;
}

export interface UnitRow {
  id: string;
  kind: 'agency' | 'school' | 'community_team' | 'industrial_park' | 'enterprise';
  code: string;
  name: string;
  parentId: string;
  path: string;
  /** the commune-level unit it lies in (null: directly under the province) */
  communeId: string | null;
  isNew: boolean;
}

export interface Commune extends CommuneRow {
  weight: number;
  hasStats: boolean;
  agencyId: string;
  teamId: string;
  schoolIds: string[];
  short: string;
}

export interface Park {
  no: number;
  id: string;
  name: string;
  communeId: string;
  opened: number;
  isNew: boolean;
}

export interface Enterprise {
  no: number;
  id: string;
  parkNo: number;
  name: string;
  taxCode: string;
  ownership: 'fdi' | 'domestic';
  band: string;
  activeFrom: string;
  workers: number;
  firstWorker: number;
  /** none: never reports; partial: trains some workers; good: trains most workers ≥ 60 min */
  profile: 'none' | 'partial' | 'good';
  coverage: number;
  trend: number;
  communeId: string;
}

export interface ParkListExtra {
  parkId: string;
  taxCode: string;
  name: string;
  operatingFrom: string;
  operatingTo: string | null;
}

export type TrainerLevel = 'master' | 'core' | 'community';
export type TrainerSource = 'department' | 'commune' | 'university' | 'college' | 'community_team';

export interface Trainer {
  n: number;
  level: TrainerLevel;
  source: TrainerSource;
  orgUnitId: string;
  communeId: string | null;
  official: boolean;
  createdOn: string;
  /** the ToT cohort (its `no`) the trainer qualified in; 0 for masters (appointment) */
  totCohort: number;
  grantedOn: string;
  expiresOn: string;
  revokedOn: string | null;
}

export type CohortKind = 'tot' | 'official' | 'citizen' | 'worker';

export interface Cohort {
  no: number;
  kind: CohortKind;
  tier: 1 | 2 | 3;
  title: string;
  mode: 'online' | 'in_person' | 'blended';
  status: 'planned' | 'running' | 'finished';
  startsOn: string;
  endsOn: string;
  capacity: number;
  size: number;
  orgUnitId: string;
  location: string;
  leadN: number;
  qualifiesLevel: 'core' | 'community' | null;
  sessions: number;
  courses: string[];
  /** pool the members come from: officials of an agency group, citizens of a commune, worker accounts of a park */
  poolSeg: 'official' | 'citizen' | 'worker' | 'trainee';
  poolGroup: string | null;
}

export interface PopulationRow {
  orgUnitId: string;
  period: string;
  metric: 'population' | 'working_age' | 'ai_target_age';
  value: number;
  source: string;
  sourceDate: string;
}

export interface Plan {
  prefix: string;
  domain: string;
  today: string;
  rootId: string;
  communes: Commune[];
  units: UnitRow[];
  departments: UnitRow[];
  higherEd: Array<UnitRow & { eduKind: 'university' | 'college' }>;
  parks: Park[];
  enterprises: Enterprise[];
  parkExtras: ParkListExtra[];
  trainers: Trainer[];
  cohorts: Cohort[];
  population: PopulationRow[];
  /** weighted pick arrays for the set-based generator */
  communeBuckets: string[];
  agencyBuckets: string[];
  schoolBuckets: string[];
  provincialOfficialShare: number;
  workers: number;
  segments: ReturnType<typeof segments>;
}

const short = (name: string) => name.replace(/^(Xã|Phường) /u, '');
const lowerKind = (name: string) => name.replace(/^Xã /u, 'xã ').replace(/^Phường /u, 'phường ');

/** Vietnamese tax code check digit (10-digit MST): 10 − (Σ wᵢ·dᵢ mod 11); undefined when it would be 10. */
export function taxCheckDigit(nine: string): number | undefined {
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * w[i], 0);
  const check = 10 - (sum % 11);
  return check === 10 ? undefined : check;
}

function headcountBand(n: number): string {
  if (n < 10) return '1-9';
  if (n < 50) return '10-49';
  if (n < 200) return '50-199';
  if (n < 1000) return '200-999';
  if (n < 5000) return '1000-4999';
  return '5000+';
}

function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-9);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);

export interface PlanInput {
  scale: Scale;
  today: string;
  prefix: string;
  domain: string;
  root: { id: string; path: string };
  communes: CommuneRow[];
  existingUnits: ExistingUnit[];
  takenTaxCodes: Set<string>;
  qualificationYears: number;
}

export function buildPlan(input: PlanInput): Plan {
  const { scale, today, prefix, root } = input;
  const rng = new Rng(`hocso-demo-${scale.name}-${prefix}`);
  const seg = segments(scale);
  const units: UnitRow[] = [];
  const existing = new Map(input.existingUnits.map((u) => [`${u.parent_id}|${u.kind}|${u.name}`, u]));

  /** Reuses a unit of the same kind and name under the same parent (a `--force` run), or plans a new one. */
  const unit = (
    kind: UnitRow['kind'],
    code: string,
    name: string,
    parent: { id: string; path: string },
    communeId: string | null,
  ): UnitRow => {
    const clean = nfc(name);
    const found = kind === 'enterprise' ? undefined : existing.get(`${parent.id}|${kind}|${clean}`);
    const id = found?.id ?? randomUUID();
    const row: UnitRow = {
      id,
      kind,
      code,
      name: clean,
      parentId: parent.id,
      path: found?.path ?? `${parent.path}${id}/`,
      communeId,
      isNew: !found,
    };
    units.push(row);
    return row;
  };

  // ---- communes: uneven population weights (wards bigger, the former Bắc Kạn part smaller) ----
  const sorted = [...input.communes].sort((a, b) => a.code.localeCompare(b.code));
  const bacKan = (c: CommuneRow) => c.code < '05000';
  const noStats = new Set(
    sorted
      .filter((c) => bacKan(c) && c.kind === 'commune')
      .slice(-2)
      .map((c) => c.id),
  );
  const communes: Commune[] = sorted.map((c) => {
    const weight =
      c.kind === 'ward'
        ? bacKan(c)
          ? 2 + rng.next()
          : 3.5 + 3.5 * rng.next()
        : bacKan(c)
          ? 0.5 + 0.7 * rng.next()
          : 1.6 + 1.6 * rng.next();
    return {
      ...c,
      weight,
      hasStats: !noStats.has(c.id),
      agencyId: '',
      teamId: '',
      schoolIds: [],
      short: short(c.name),
    };
  });

  // ---- agencies: provincial departments, and one People's Committee per commune ----
  const rootRef = { id: root.id, path: root.path };
  const departments = DEPARTMENTS.map((name, i) =>
    unit('agency', `${prefix}-AG-${String(i + 1).padStart(3, '0')}`, name, rootRef, null),
  );
  for (const c of communes) {
    c.agencyId = unit('agency', `${prefix}-AG-${c.code}`, `UBND ${lowerKind(c.name)}`, c, c.id).id;
  }
  // ---- schools and community digital-technology teams ----
  const schoolKinds = ['Trường THPT', 'Trường THCS', 'Trung tâm GDNN-GDTX'];
  for (const c of communes) {
    for (let k = 0; k < scale.schoolsPerCommune; k++) {
      c.schoolIds.push(unit('school', `${prefix}-TH-${c.code}-${k + 1}`, `${schoolKinds[k]} ${c.short}`, c, c.id).id);
    }
    c.teamId = unit('community_team', `${prefix}-TCN-${c.code}`, `Tổ công nghệ số cộng đồng ${c.short}`, c, c.id).id;
  }
  const higherEd = HIGHER_EDUCATION.map((h, i) => ({
    ...unit('school', `${prefix}-DH-${String(i + 1).padStart(2, '0')}`, h.name, rootRef, null),
    eduKind: h.kind,
  }));

  // ---- industrial parks ----
  const byName = new Map(communes.map((c) => [c.name, c]));
  const parkUnits: UnitRow[] = [];
  const parks: Park[] = PARKS.slice(0, scale.parks).map((p, i) => {
    const commune = byName.get(nfc(p.commune)) ?? communes[i % communes.length];
    const u = unit('industrial_park', `${prefix}-KCN-${String(i + 1).padStart(2, '0')}`, p.name, rootRef, null);
    parkUnits.push(u);
    return {
      no: i + 1,
      id: u.id,
      name: u.name,
      communeId: commune.id,
      opened: p.opened,
      isNew: u.isNew,
    };
  });

  // ---- enterprises ----
  const taken = new Set(input.takenTaxCodes);
  let taxCounter = 0;
  const runDigit = (Number(prefix.replace(/\D/g, '')) || 1) % 10;
  const nextTaxCode = () => {
    for (;;) {
      taxCounter++;
      const nine = `46${runDigit}${String(taxCounter).padStart(6, '0')}`;
      const check = taxCheckDigit(nine);
      if (check === undefined) continue;
      const code = `${nine}${check}`;
      if (taken.has(code)) continue;
      taken.add(code);
      return code;
    }
  };
  const usedNames = new Set<string>();
  const enterpriseName = (fdi: boolean) => {
    for (let attempt = 0; ; attempt++) {
      const sector = rng.pick(ENTERPRISE_SECTORS);
      const base = fdi
        ? `Công ty TNHH ${rng.pick(FDI_NAMES)} ${sector} ${rng.pick(['Việt Nam', 'Vina', 'Thái Nguyên'])}`
        : `Công ty ${rng.pick(['TNHH', 'Cổ phần', 'TNHH MTV'])} ${sector} ${rng.pick(DOMESTIC_NAMES)}`;
      const name = attempt < 8 ? base : `${base} ${attempt - 6}`;
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return nfc(name);
      }
    }
  };
  const perPark = apportion(
    scale.enterprises,
    parks.map((p) => PARKS[p.no - 1].weight),
  );
  const enterprises: Enterprise[] = [];
  const weights: number[] = [];
  for (const park of parks) {
    const newPark = park.opened >= 2025;
    const fdiShare = /Yên Bình|Điềm Thụy|Sông Công II/u.test(park.name) ? 0.6 : 0.35;
    for (let k = 0; k < perPark[park.no - 1]; k++) {
      const no = enterprises.length + 1;
      const fdi = rng.chance(fdiShare);
      const name = enterpriseName(fdi);
      let activeFrom: string;
      if (rng.chance(0.03)) activeFrom = addDays(today, -rng.int(10, 55));
      else if (newPark) activeFrom = addDays(today, -rng.int(70, 400));
      else activeFrom = `${rng.int(park.opened, 2024)}-${String(rng.int(1, 12)).padStart(2, '0')}-01`;
      const r = rng.next();
      const profile: Enterprise['profile'] = r < 0.08 ? 'none' : r < 0.3 ? 'partial' : 'good';
      const coverage =
        profile === 'good' ? 0.86 + 0.13 * rng.next() : profile === 'partial' ? 0.35 + 0.43 * rng.next() : 0;
      enterprises.push({
        no,
        id: '',
        parkNo: park.no,
        name,
        taxCode: nextTaxCode(),
        ownership: fdi ? 'fdi' : 'domestic',
        band: '',
        activeFrom,
        workers: 0,
        firstWorker: 0,
        profile,
        coverage,
        trend: 0.004 + 0.014 * rng.next(),
        communeId: park.communeId,
      });
      weights.push(Math.exp(1.15 * gaussian(rng)) * (fdi ? 1.8 : 1));
    }
  }
  const minWorkers = 3;
  const counts = apportion(scale.workers - minWorkers * enterprises.length, weights).map((c) => c + minWorkers);
  let firstWorker = 1;
  for (const e of enterprises) {
    e.workers = counts[e.no - 1];
    e.firstWorker = firstWorker;
    firstWorker += e.workers;
    e.band = headcountBand(Math.round(e.workers * (1 + 0.3 * rng.next())));
    const park = parkUnits[e.parkNo - 1];
    e.id = unit(
      'enterprise',
      `${prefix}-DN-${String(e.no).padStart(4, '0')}`,
      e.name,
      park,
      parks[e.parkNo - 1].communeId,
    ).id;
  }

  // The parks' operating lists: registered enterprises plus ~15 % not on Hocso, a few of which stopped.
  const parkExtras: ParkListExtra[] = [];
  for (const park of parks) {
    const extras = Math.max(1, Math.round(perPark[park.no - 1] * 0.15));
    for (let k = 0; k < extras; k++) {
      const stopped = k === 0 || rng.chance(0.08);
      parkExtras.push({
        parkId: park.id,
        taxCode: nextTaxCode(),
        name: enterpriseName(rng.chance(0.4)),
        operatingFrom:
          park.opened >= 2025
            ? addDays(today, -rng.int(120, 400))
            : `${rng.int(park.opened, 2023)}-${String(rng.int(1, 12)).padStart(2, '0')}-01`,
        operatingTo: stopped ? addDays(today, -rng.int(15, 120)) : null,
      });
    }
  }

  // ---- weighted pick arrays for people ----
  const communeBuckets = buckets(
    communes.map((c) => c.id),
    communes.map((c) => c.weight),
    SLOTS,
  );
  const deptWeights = DEPARTMENTS.map((d) =>
    /Giáo dục|Y tế/u.test(d) ? 3 : /Văn phòng|Nông nghiệp|Tài chính/u.test(d) ? 2 : 1,
  );
  const provincialOfficialShare = 0.4;
  const agencyBuckets = buckets(
    [...departments.map((d) => d.id), ...communes.map((c) => c.agencyId)],
    [
      ...deptWeights.map((w) => (w / deptWeights.reduce((a, b) => a + b, 0)) * provincialOfficialShare),
      ...communes.map(
        (c) =>
          (Math.sqrt(c.weight) / communes.reduce((a, x) => a + Math.sqrt(x.weight), 0)) * (1 - provincialOfficialShare),
      ),
    ],
    SLOTS,
  );
  const universities = higherEd.filter((h) => h.eduKind === 'university');
  const colleges = higherEd.filter((h) => h.eduKind === 'college');
  const totalCommuneWeight = communes.reduce((a, c) => a + c.weight, 0);
  const schoolBuckets = buckets(
    [...communes.flatMap((c) => c.schoolIds), ...universities.map((u) => u.id), ...colleges.map((c) => c.id)],
    [
      ...communes.flatMap((c) => c.schoolIds.map(() => ((c.weight / totalCommuneWeight) * 0.7) / c.schoolIds.length)),
      ...universities.map(() => 0.24 / universities.length),
      ...colleges.map(() => 0.06 / colleges.length),
    ],
    SLOTS,
  );

  // ---- population statistics (denominators): 90 communes, two left without figures ----
  const withStats = communes.filter((c) => c.hasStats);
  const pop = apportion(
    PROVINCE_POPULATION,
    withStats.map((c) => c.weight),
  );
  const year = Number(today.slice(0, 4));
  const population: PopulationRow[] = [];
  withStats.forEach((c, i) => {
    const share = 0.6 + 0.05 * rng.next();
    const growth = 1.004 + 0.008 * rng.next();
    for (const [period, value, sourceDate] of [
      [String(year - 1), pop[i], `${year - 1}-12-31`],
      [String(year), Math.round(pop[i] * growth), minDate(`${year}-06-30`, today)],
    ] as Array<[string, number, string]>) {
      const working = Math.round(value * share);
      for (const [metric, v] of [
        ['population', value],
        ['working_age', working],
        ['ai_target_age', working],
      ] as Array<[PopulationRow['metric'], number]>) {
        population.push({ orgUnitId: c.id, period, metric, value: v, source: POPULATION_SOURCE, sourceDate });
      }
    }
  });

  // ---- trainers and the ToT cascade ----
  const cohorts: Cohort[] = [];
  const deptByName = (re: RegExp) => departments.find((d) => re.test(d.name)) ?? departments[0];
  const pickCommune = () => communes[rng.weighted(communes.map((c) => c.weight))];
  const years = input.qualificationYears > 0 ? input.qualificationYears : 3;
  const plusYears = (d: string, y: number) => `${Number(d.slice(0, 4)) + y}${d.slice(4)}`;
  const totCommune: Commune[] = [];
  for (let k = 0; k < scale.totCoreCohorts; k++) {
    const startsOn = addDays(today, -rng.int(230, 330));
    const host = k % 3 === 2 ? universities[k % universities.length] : deptByName(/Khoa học và Công nghệ/u);
    cohorts.push({
      no: cohorts.length + 1,
      kind: 'tot',
      tier: 1,
      title: `Bồi dưỡng giảng viên nguồn (cốt cán) – khóa ${String(k + 1).padStart(2, '0')}`,
      mode: rng.chance(0.5) ? 'blended' : 'in_person',
      status: 'finished',
      startsOn,
      endsOn: addDays(startsOn, rng.int(7, 14)),
      capacity: 60,
      size: 0,
      orgUnitId: host.id,
      location: `Hội trường ${host.name}`,
      leadN: (k % seg.masters) + 1,
      qualifiesLevel: 'core',
      sessions: rng.int(5, 7),
      courses: ['dao-tao-giang-vien-nguon'],
      poolSeg: 'trainee',
      poolGroup: null,
    });
  }
  for (let k = 0; k < scale.totCommunityCohorts; k++) {
    const startsOn = addDays(today, -rng.int(25, 210));
    const c = pickCommune();
    totCommune.push(c);
    cohorts.push({
      no: cohorts.length + 1,
      kind: 'tot',
      tier: 2,
      title: `Bồi dưỡng giảng viên cộng đồng – ${c.short} – khóa ${String(k + 1).padStart(2, '0')}`,
      mode: rng.chance(0.6) ? 'in_person' : 'blended',
      status: 'finished',
      startsOn,
      endsOn: addDays(startsOn, rng.int(7, 14)),
      capacity: 50,
      size: 0,
      orgUnitId: c.agencyId,
      location: `Hội trường UBND ${lowerKind(c.name)}`,
      leadN: 0,
      qualifiesLevel: 'community',
      sessions: rng.int(5, 7),
      courses: ['dao-tao-giang-vien-nguon'],
      poolSeg: 'trainee',
      poolGroup: null,
    });
  }

  const sourceWeights: Record<TrainerLevel, Array<[TrainerSource, number]>> = {
    master: [
      ['department', 0.6],
      ['university', 0.4],
    ],
    core: [
      ['department', 0.3],
      ['commune', 0.3],
      ['university', 0.15],
      ['college', 0.15],
      ['community_team', 0.1],
    ],
    community: [
      ['commune', 0.45],
      ['community_team', 0.35],
      ['college', 0.1],
      ['department', 0.1],
    ],
  };
  const trainers: Trainer[] = [];
  const coreCohorts = cohorts.filter((c) => c.tier === 1);
  const communityCohorts = cohorts.filter((c) => c.tier === 2);
  for (let n = 1; n <= seg.trainers; n++) {
    const level: TrainerLevel = n <= seg.masters ? 'master' : n <= seg.masters + seg.cores ? 'core' : 'community';
    const tot =
      level === 'core'
        ? coreCohorts[(n - seg.masters - 1) % coreCohorts.length]
        : level === 'community'
          ? communityCohorts[(n - seg.masters - seg.cores - 1) % communityCohorts.length]
          : undefined;
    const sw = sourceWeights[level];
    let source = n === 1 ? 'department' : sw[rng.weighted(sw.map((s) => s[1]))][0];
    // Community trainers of a commune's ToT cohort mostly come from that commune.
    const home = tot && tot.tier === 2 ? totCommune[tot.no - coreCohorts.length - 1] : pickCommune();
    let orgUnitId: string;
    let communeId: string | null = null;
    switch (source) {
      case 'department':
        orgUnitId = n === 1 ? deptByName(/Khoa học và Công nghệ/u).id : rng.pick(departments).id;
        break;
      case 'commune':
        orgUnitId = home.agencyId;
        communeId = home.id;
        break;
      case 'community_team':
        orgUnitId = home.teamId;
        communeId = home.id;
        break;
      case 'university':
        orgUnitId = rng.pick(universities).id;
        break;
      default:
        if (colleges.length === 0) source = 'university';
        orgUnitId = rng.pick(colleges.length ? colleges : universities).id;
    }
    let grantedOn: string;
    let createdOn: string;
    if (!tot) {
      createdOn = addDays(today, -rng.int(355, 363));
      grantedOn = addDays(today, -rng.int(345, 352));
    } else {
      createdOn = maxDate(addDays(today, -363), addDays(tot.startsOn, -rng.int(5, 60)));
      grantedOn = tot.endsOn;
    }
    let expiresOn = plusYears(grantedOn, years);
    let revokedOn: string | null = null;
    if (level !== 'master') {
      const age = daysBetween(grantedOn, today);
      const r = rng.next();
      // A few revoked, a few expired (a provisional six-month qualification of the first ToT course);
      // the first core trainer always lapsed, so every scale shows one.
      if (r < 0.02 && age > 30) revokedOn = addDays(grantedOn, rng.int(20, age - 1));
      else if ((r < 0.05 || n === seg.masters + 1) && age > 200) expiresOn = addDays(grantedOn, 180);
    }
    trainers.push({
      n,
      level,
      source: source as TrainerSource,
      orgUnitId,
      communeId,
      official: source === 'department' || source === 'commune',
      createdOn,
      totCohort: tot?.no ?? 0,
      grantedOn,
      expiresOn,
      revokedOn,
    });
  }
  for (const c of cohorts) c.size = trainers.filter((t) => t.totCohort === c.no).length;

  /** A lead for a cohort starting on `startsOn`: qualified at least a few days before, valid then. */
  const usableFrom = new Map(trainers.map((t) => [t.n, addDays(t.grantedOn, 2)]));
  const validAt = (t: Trainer, day: string, levels: TrainerLevel[]) =>
    levels.includes(t.level) &&
    (usableFrom.get(t.n) as string) <= day &&
    t.expiresOn >= day &&
    (t.revokedOn === null || t.revokedOn > day);
  const chooseLead = (day: string, levels: TrainerLevel[], communeId: string | null): number => {
    const valid = trainers.filter((t) => validAt(t, day, levels));
    const local = communeId ? valid.filter((t) => t.communeId === communeId) : [];
    const pool = local.length && rng.chance(0.8) ? local : valid;
    if (pool.length) return rng.pick(pool).n;
    return rng.int(1, seg.masters);
  };
  for (const c of communityCohorts) {
    c.leadN = chooseLead(c.startsOn, ['core', 'master'], totCommune[c.no - coreCohorts.length - 1].id);
  }

  // ---- the trainers' own cohorts: officials, citizens, workers ----
  const rest = Math.max(0, scale.cohorts - cohorts.length);
  const expectedOfficialsPerCommune = (seg.officials * (1 - provincialOfficialShare)) / communes.length;
  const workerAccountsPerPark = apportion(
    seg.workerAccounts,
    parks.map((p) => enterprises.filter((e) => e.parkNo === p.no).reduce((a, e) => a + e.workers, 0) + 1),
  );
  // 30 % officials, 45 % citizens, 25 % workers, interleaved so every scale gets each kind.
  const pattern: CohortKind[] = ['official', 'citizen', 'worker', 'citizen', 'official', 'citizen', 'worker'];
  pattern.push('citizen', 'official', 'citizen', 'worker', 'citizen', 'official', 'citizen', 'worker');
  pattern.push('official', 'citizen', 'worker', 'official', 'citizen');
  // Officials' cohorts seat at most ~40 % of the officials (the rest learn on their own); the
  // remaining slots go to citizens.
  let officialSlots = Math.max(1, Math.floor((seg.officials * 0.4) / 30));
  const kinds: CohortKind[] = [];
  for (let k = 0; k < rest; k++) {
    const kind = pattern[k % pattern.length];
    if (kind === 'official' && officialSlots-- <= 0) kinds.push('citizen');
    else kinds.push(kind);
  }
  for (const kind of kinds) {
    const r = rng.next();
    let startsOn: string;
    if (rng.chance(0.06)) startsOn = addDays(today, rng.int(3, 30));
    else startsOn = addDays(today, -Math.floor(180 * (1 - Math.sqrt(r))));
    const endsOn = addDays(
      startsOn,
      kind === 'official' ? rng.int(14, 35) : kind === 'citizen' ? rng.int(7, 28) : rng.int(7, 21),
    );
    const status: Cohort['status'] =
      startsOn > today ? 'planned' : endsOn >= addDays(today, -3) ? 'running' : 'finished';
    let orgUnitId: string;
    let location: string;
    let title: string;
    let poolGroup: string;
    let communeId: string | null = null;
    let courses: string[];
    let size: number;
    if (kind === 'official') {
      const provincial = expectedOfficialsPerCommune < 15 || rng.chance(0.45);
      if (provincial) {
        const d = departments[rng.weighted(deptWeights)];
        orgUnitId = d.id;
        poolGroup = 'province';
        title = `Bồi dưỡng chuyển đổi số cho cán bộ – ${d.name}`;
        location = `Phòng họp ${d.name}`;
      } else {
        const c = pickCommune();
        orgUnitId = c.agencyId;
        poolGroup = c.agencyId;
        communeId = c.id;
        title = `Bồi dưỡng chuyển đổi số cho cán bộ – UBND ${lowerKind(c.name)}`;
        location = `Hội trường UBND ${lowerKind(c.name)}`;
      }
      courses = rng.chance(0.5)
        ? ['chuyen-doi-so-cho-can-bo', 'ung-dung-ai-trong-hanh-chinh']
        : ['chuyen-doi-so-cho-can-bo'];
      size = rng.int(20, 40);
    } else if (kind === 'citizen') {
      const c = pickCommune();
      communeId = c.id;
      orgUnitId = c.id;
      poolGroup = c.id;
      const ai = rng.chance(0.55);
      title = ai ? `Bình dân học AI – ${c.short}` : `Bình dân học vụ số – ${c.short}`;
      location = rng.chance(0.5)
        ? `Nhà văn hóa tổ dân phố, ${lowerKind(c.name)}`
        : `Hội trường UBND ${lowerKind(c.name)}`;
      courses = ai ? ['ai-co-ban-cho-moi-nguoi'] : ['dich-vu-cong-truc-tuyen', 'vneid-dinh-danh-dien-tu'];
      size = rng.int(25, 45);
    } else {
      const parkIdx = rng.weighted(workerAccountsPerPark.map((w) => w + 0.01));
      const p = parks[parkIdx];
      orgUnitId = p.id;
      poolGroup = p.id;
      communeId = p.communeId;
      title = `Kỹ năng số cho người lao động – ${p.name}`;
      location = `Phòng đào tạo, ${p.name}`;
      courses = ['ky-nang-so-noi-lam-viec'];
      size = rng.int(15, 30);
    }
    cohorts.push({
      no: cohorts.length + 1,
      kind,
      tier: 3,
      title,
      mode: kind === 'official' ? (rng.chance(0.5) ? 'blended' : 'online') : rng.chance(0.8) ? 'in_person' : 'blended',
      status,
      startsOn,
      endsOn,
      capacity: size + rng.int(5, 20),
      size,
      orgUnitId,
      location,
      leadN: chooseLead(startsOn, ['master', 'core', 'community'], communeId),
      qualifiesLevel: null,
      sessions: kind === 'official' ? rng.int(4, 6) : kind === 'citizen' ? rng.int(3, 5) : rng.int(3, 4),
      courses,
      poolSeg: kind as Cohort['poolSeg'],
      poolGroup,
    });
  }
  // Titles stay distinguishable: number repeated titles.
  const seen = new Map<string, number>();
  for (const c of cohorts) {
    const k = (seen.get(c.title) ?? 0) + 1;
    seen.set(c.title, k);
    if (k > 1 && c.kind !== 'tot') c.title = `${c.title} – lớp ${k}`;
  }

  return {
    prefix,
    domain: input.domain,
    today,
    rootId: root.id,
    communes,
    units,
    departments,
    higherEd,
    parks,
    enterprises,
    parkExtras,
    trainers,
    cohorts,
    population,
    communeBuckets,
    agencyBuckets,
    schoolBuckets,
    provincialOfficialShare,
    workers: scale.workers,
    segments: seg,
  };
}
