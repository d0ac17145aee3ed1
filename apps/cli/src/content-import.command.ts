import { resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { DomainException } from '@hocso/common';
import { CourseImportService, type CourseImportOutcome, formatProblem, type ImportReport } from '@hocso/courses';
import { runMigrationsLocked } from '@hocso/database';
import { DataSource } from 'typeorm';

export const CONTENT_IMPORT_USAGE = `  content:import [dir] [--dry-run] [--json]
                                validate content/ (or dir) and import it: frameworks, then every course
                                package; unchanged courses are left alone, changed ones get a new version,
                                a course with any problem is not imported (each problem: file:line)
                                --dry-run  only validate, write nothing      --json  print the report as JSON`;

const FRAMEWORK_VI: Record<string, string> = {
  created: 'mới',
  updated: 'cập nhật',
  unchanged: 'không đổi',
  valid: 'hợp lệ',
};

const OUTCOME_VI: Record<CourseImportOutcome, string> = {
  created: 'mới',
  updated: 'phiên bản mới',
  unchanged: 'không đổi',
  rejected: 'bị từ chối',
  skipped: 'bỏ qua (đã lưu trữ)',
};

interface Output {
  log(line: string): void;
  error(line: string): void;
}

/**
 * `npm run content:import [-- dir] [--dry-run] [--json]`. Needs an application context that
 * imports CoursesModule. Returns the exit code: 0 when everything valid was imported and nothing
 * was rejected, 1 when any course or framework file has a problem (the valid ones are still
 * imported), 2 for bad usage.
 */
export async function contentImportCommand(
  ctx: INestApplicationContext,
  args: string[],
  out: Output = { log: (l) => console.log(l), error: (l) => console.error(l) },
): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const unknown = [...flags].filter((f) => f !== '--dry-run' && f !== '--json');
  const positional = args.filter((a) => !a.startsWith('--'));
  if (unknown.length || positional.length > 1) {
    out.error(`Cách dùng / usage:\n${CONTENT_IMPORT_USAGE}`);
    return 2;
  }
  const dir = resolve(positional[0] ?? 'content');
  const dryRun = flags.has('--dry-run');
  if (!dryRun) await runMigrationsLocked(ctx.get(DataSource));

  let report: ImportReport;
  try {
    report = await ctx.get(CourseImportService).importDirectory(dir, { dryRun });
  } catch (err) {
    if (err instanceof DomainException) {
      out.error(`${err.messageIn('vi')} (${dir})\n${err.messageIn('en')}`);
      return 1;
    }
    throw err;
  }
  if (flags.has('--json')) {
    out.log(JSON.stringify(report, null, 2));
  } else {
    printReport(report, out);
  }
  return report.counts.rejected > 0 || report.frameworkProblems.length > 0 ? 1 : 0;
}

function printReport(report: ImportReport, out: Output): void {
  out.log(`${report.dryRun ? 'Kiểm tra (không ghi)' : 'Nhập nội dung'}: ${report.contentDir}`);
  out.log(
    `Khung năng lực: ${report.frameworks.map((f) => `${f.code} ${f.version} (${FRAMEWORK_VI[f.outcome]})`).join(', ') || 'không có'}`,
  );
  for (const p of report.frameworkProblems) out.error(`  ✗ ${formatProblem(p, 'vi')}\n      ${p.message.en}`);
  const width = Math.max(0, ...report.courses.map((c) => c.slug.length));
  for (const c of report.courses) {
    const mark = c.outcome === 'rejected' ? '✗' : '✓';
    const version = c.version ? `phiên bản ${c.version}, ` : '';
    const detail =
      c.outcome === 'rejected' ? `${c.problems.length} lỗi / problem(s):` : `${version}${OUTCOME_VI[c.outcome]}`;
    const line = `${mark} ${c.slug.padEnd(width)}  ${detail}`;
    if (c.outcome === 'rejected') out.error(line);
    else out.log(line);
    for (const p of c.problems) out.error(`    ${formatProblem(p, 'vi')}\n      ${p.message.en}`);
  }
  const n = report.counts;
  out.log(
    `Tổng / total: ${report.courses.length} khóa học — ${n.created} mới, ${n.updated} cập nhật, ` +
      `${n.unchanged} không đổi, ${n.rejected} bị từ chối, ${n.skipped} bỏ qua.`,
  );
}
