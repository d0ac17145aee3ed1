/**
 * The three sizes of the demo province (issue 9 item 6). `learners` is the number of accounts the
 * run creates (every segment together); citizens are what is left after the other segments.
 */
export type ScaleName = 'small' | 'medium' | 'large';

export interface Scale {
  name: ScaleName;
  /** accounts created (trainers + officials + students + worker accounts + citizens) */
  learners: number;
  /** industrial parks, taken in order from PARKS (names.ts) */
  parks: number;
  /** enterprises registered on Hocso */
  enterprises: number;
  /** workers on the registered enterprises' rosters (about 10 % get a linked account) */
  workers: number;
  /** ToT-qualified trainers (about 2 % master by appointment, 30 % core, the rest community) */
  trainers: number;
  /** cohorts of every kind, ToT ones included */
  cohorts: number;
  /** ToT cohorts qualifying core trainers (led by masters) and community trainers (led by cores) */
  totCoreCohorts: number;
  totCommunityCohorts: number;
  /** officials (cán bộ, công chức) in provincial departments and commune People's Committees */
  officials: number;
  /** pupils and students */
  students: number;
  /** schools (THCS / THPT) created under each commune */
  schoolsPerCommune: number;
  /** most days with learning minutes per enrollment in the last 60 days (bounds learning_minutes_daily) */
  learningDaysMax: number;
}

export const SCALES: Record<ScaleName, Scale> = {
  small: {
    name: 'small',
    learners: 3_000,
    parks: 3,
    enterprises: 20,
    workers: 1_000,
    trainers: 60,
    cohorts: 15,
    totCoreCohorts: 1,
    totCommunityCohorts: 2,
    officials: 150,
    students: 350,
    schoolsPerCommune: 1,
    learningDaysMax: 8,
  },
  medium: {
    name: 'medium',
    learners: 100_000,
    parks: 6,
    enterprises: 300,
    workers: 20_000,
    trainers: 600,
    cohorts: 200,
    totCoreCohorts: 4,
    totCommunityCohorts: 16,
    officials: 2_400,
    students: 12_000,
    schoolsPerCommune: 2,
    learningDaysMax: 8,
  },
  large: {
    name: 'large',
    learners: 1_000_000,
    parks: 11,
    enterprises: 1_500,
    workers: 100_000,
    trainers: 3_200,
    cohorts: 2_000,
    totCoreCohorts: 20,
    totCommunityCohorts: 100,
    officials: 12_000,
    students: 120_000,
    schoolsPerCommune: 3,
    learningDaysMax: 5,
  },
};

/** Share of workers who have a Hocso account linked to their worker record. */
export const LINKED_WORKER_SHARE = 0.1;

export function isScaleName(value: string): value is ScaleName {
  return value === 'small' || value === 'medium' || value === 'large';
}

/** Segment sizes derived from a scale. */
export function segments(scale: Scale) {
  const workerAccounts = Math.round(scale.workers * LINKED_WORKER_SHARE);
  const masters = Math.max(2, Math.round(scale.trainers * 0.02));
  const cores = Math.round(scale.trainers * 0.3);
  const community = scale.trainers - masters - cores;
  const citizens = scale.learners - scale.trainers - scale.officials - scale.students - workerAccounts;
  return {
    trainers: scale.trainers,
    masters,
    cores,
    community,
    officials: scale.officials,
    students: scale.students,
    workerAccounts,
    citizens,
  };
}
