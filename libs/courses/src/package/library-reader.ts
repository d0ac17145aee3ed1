import { CompetencyCatalog } from './competency-catalog';
import { type FrameworkDefinition, frameworkCodes, readFrameworks } from './framework-reader';
import { listCourseDirs, type ReadPackageResult, readCoursePackage } from './package-reader';
import type { PackageProblem } from './problems';

export interface LibraryReadResult {
  frameworks: FrameworkDefinition[];
  frameworkProblems: PackageProblem[];
  courses: ReadPackageResult[];
}

/** The newest version of each framework code (versions compared numerically: "2025" < "2027"). */
export function currentFrameworks<T extends { code: string; version: string }>(frameworks: T[]): T[] {
  const latest = new Map<string, T>();
  for (const f of frameworks) {
    const seen = latest.get(f.code);
    if (!seen || seen.version.localeCompare(f.version, 'en', { numeric: true }) < 0) latest.set(f.code, f);
  }
  return [...latest.values()];
}

/**
 * Reads a whole content folder (frameworks/ and courses/) without touching the database: the
 * frameworks found there define which competency codes the courses may use.
 */
export function readLibrary(contentDir: string, options: { today?: string } = {}): LibraryReadResult {
  const { frameworks, problems } = readFrameworks(contentDir);
  const catalog = new CompetencyCatalog(currentFrameworks(frameworks).map(frameworkCodes));
  const courses = listCourseDirs(contentDir).map((dir) =>
    readCoursePackage(dir, { baseDir: contentDir, catalog, today: options.today }),
  );
  return { frameworks, frameworkProblems: problems, courses };
}
