import { foldDiacritics, normalizeText } from '@hocso/common';
import type { CoursePackage } from '../package/package.types';

/** Lower-case, accent-free words: "Dịch vụ CÔNG!" → ["dich", "vu", "cong"]. */
export function searchTokens(text: string, max = 8): string[] {
  return foldDiacritics(normalizeText(text))
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, max);
}

export const foldForSearch = (text: string) => searchTokens(text, Number.POSITIVE_INFINITY).join(' ');

/** Drops "@CB2" from "TT02:6.2@CB2". */
export const competencyWithoutLevel = (code: string) => code.replace(/@.*$/, '');

/** The course row's catalogue columns for a package (the latest published version, or a first draft). */
export function catalogueColumns(pkg: CoursePackage) {
  const lessons = pkg.modules.flatMap((m) => m.lessons);
  const competencyIndex = [
    ...new Set([...pkg.competencies, ...lessons.flatMap((l) => l.competencies)].map(competencyWithoutLevel)),
  ];
  const searchable = [
    pkg.title.vi,
    pkg.title.en,
    pkg.slug.replace(/-/g, ' '),
    ...pkg.tags,
    pkg.summary.vi,
    pkg.summary.en,
    ...pkg.modules.flatMap((m) => [m.title.vi, m.title.en]),
    ...lessons.flatMap((l) => [l.title.vi, l.title.en]),
  ];
  return {
    titleVi: pkg.title.vi,
    titleEn: pkg.title.en,
    summaryVi: pkg.summary.vi,
    summaryEn: pkg.summary.en,
    audience: pkg.audience,
    level: pkg.level,
    language: pkg.language,
    estimatedMinutes: pkg.estimatedMinutes,
    competencies: pkg.competencies,
    competencyIndex,
    licence: pkg.licence,
    lastReviewed: pkg.lastReviewed,
    tags: pkg.tags,
    lessonCount: lessons.length,
    titleSort: foldForSearch(pkg.title.vi),
    titleFolded: foldForSearch(`${pkg.title.vi} ${pkg.title.en}`),
    searchText: foldForSearch(searchable.join(' ')),
  };
}
