import type { LocalizedText } from '@hocso/common';

/**
 * One thing wrong with a course package or a framework file. `path` points into the JSON form
 * (`modules.0.lessons.2.blocks.1.questions.0.options`); `file` and `line` (1-based) are filled in
 * when the package was read from files.
 */
export interface PackageProblem {
  code: ProblemCode;
  path: string;
  message: LocalizedText;
  file?: string;
  line?: number;
}

type Params = Record<string, string | number>;

const fill = (template: string, params: Params) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => (key in params ? String(params[key]) : `{${key}}`));

/** Every rule the reader and the validator check, with its message in Vietnamese and English. */
export const PROBLEM_MESSAGES = {
  YAML_SYNTAX: {
    vi: 'Lỗi cú pháp YAML: {reason}. Kiểm tra thụt lề (dùng dấu cách, không dùng Tab) và dấu hai chấm sau tên trường.',
    en: 'YAML syntax error: {reason}. Check the indentation (spaces, not tabs) and the colon after each field name.',
  },
  FILE_MISSING: { vi: 'Thiếu tệp {file}.', en: 'The file {file} is missing.' },
  FILE_UNREADABLE: { vi: 'Không đọc được tệp {file}: {reason}.', en: 'Cannot read {file}: {reason}.' },
  NOT_UTF8: {
    vi: 'Tệp không phải văn bản UTF-8 hợp lệ; hãy lưu lại với mã hóa UTF-8.',
    en: 'The file is not valid UTF-8 text; save it again as UTF-8.',
  },
  FRONT_MATTER_MISSING: {
    vi: 'Bài học phải bắt đầu bằng phần đầu YAML nằm giữa hai dòng "---" (title, minutes, competencies).',
    en: 'A lesson must start with YAML front matter between two "---" lines (title, minutes, competencies).',
  },
  FRONT_MATTER_UNCLOSED: {
    vi: 'Phần đầu YAML mở bằng "---" ở dòng 1 nhưng không có dòng "---" đóng lại.',
    en: 'The front matter opened with "---" on line 1 is never closed with another "---" line.',
  },
  FENCE_UNCLOSED: {
    vi: 'Khối ```{kind} mở ở dòng {line} nhưng không có dòng ``` đóng lại.',
    en: 'The ```{kind} block opened on line {line} is never closed with a ``` line.',
  },
  REQUIRED: { vi: 'Thiếu trường bắt buộc "{field}".', en: 'The required field "{field}" is missing.' },
  UNKNOWN_FIELD: {
    vi: 'Trường "{field}" không được hỗ trợ ở đây (gõ nhầm?). Các trường hợp lệ: {allowed}.',
    en: 'The field "{field}" is not supported here (a typo?). Valid fields: {allowed}.',
  },
  WRONG_TYPE: { vi: '"{field}" phải là {expectedVi}.', en: '"{field}" must be {expectedEn}.' },
  EMPTY: { vi: '"{field}" không được để trống.', en: '"{field}" must not be empty.' },
  TOO_LONG: {
    vi: '"{field}" dài {length} ký tự; tối đa {max}.',
    en: '"{field}" is {length} characters long; the maximum is {max}.',
  },
  OUT_OF_RANGE: {
    vi: '"{field}" phải từ {min} đến {max} (đang là {value}).',
    en: '"{field}" must be between {min} and {max} (it is {value}).',
  },
  COUNT_OUT_OF_RANGE: {
    vi: '"{field}" cần từ {min} đến {max} phần tử (đang có {count}).',
    en: '"{field}" needs {min} to {max} entries (it has {count}).',
  },
  PATTERN: { vi: '"{field}" không đúng định dạng: {hintVi}.', en: '"{field}" has the wrong format: {hintEn}.' },
  NOT_ALLOWED_VALUE: {
    vi: '"{field}" có giá trị "{value}" không hợp lệ; chỉ chấp nhận: {allowed}.',
    en: '"{field}" has the value "{value}", which is not allowed; use one of: {allowed}.',
  },
  DUPLICATE_VALUE: {
    vi: 'Giá trị "{value}" bị lặp lại trong "{field}".',
    en: 'The value "{value}" appears twice in "{field}".',
  },
  DATE_INVALID: {
    vi: '"{field}" phải là một ngày có thật, viết dạng YYYY-MM-DD (ví dụ 2026-11-20).',
    en: '"{field}" must be a real date written YYYY-MM-DD (e.g. 2026-11-20).',
  },
  DATE_IN_FUTURE: {
    vi: 'Ngày rà soát {date} ở tương lai; hãy ghi ngày đã thực sự kiểm tra nội dung.',
    en: 'The review date {date} is in the future; give the day the content was actually checked.',
  },
  URL_INVALID: {
    vi: '"{field}" phải là địa chỉ đầy đủ bắt đầu bằng https:// (hoặc http://).',
    en: '"{field}" must be a full address starting with https:// (or http://).',
  },
  SLUG_MISMATCH: {
    vi: 'slug "{slug}" phải trùng với tên thư mục khóa học "{folder}".',
    en: 'The slug "{slug}" must equal the course folder name "{folder}".',
  },
  LESSON_NOT_FOUND: {
    vi: 'Bài "{lesson}" được liệt kê trong course.yaml nhưng không có tệp lessons/{lesson}.md.',
    en: 'The lesson "{lesson}" is listed in course.yaml but there is no file lessons/{lesson}.md.',
  },
  LESSON_NOT_LISTED: {
    vi: 'Tệp lessons/{lesson}.md không thuộc học phần nào trong course.yaml; hãy thêm "{lesson}" vào "lessons" của một học phần.',
    en: 'lessons/{lesson}.md is not in any module of course.yaml; add "{lesson}" to one module\'s "lessons".',
  },
  LESSON_LISTED_TWICE: {
    vi: 'Bài "{lesson}" xuất hiện nhiều lần trong các học phần; mỗi bài chỉ thuộc đúng một học phần.',
    en: 'The lesson "{lesson}" is listed more than once; each lesson belongs to exactly one module.',
  },
  LESSON_FILE_NAME: {
    vi: 'Tên tệp bài học "{file}" không hợp lệ; phải có dạng NN-ten-bai.md (hai chữ số, chữ thường không dấu, dấu gạch ngang), ví dụ 01-gioi-thieu.md.',
    en: 'The lesson file name "{file}" is not valid; use NN-lesson-name.md (two digits, lower-case ASCII, hyphens), e.g. 01-introduction.md.',
  },
  LESSON_EMPTY: {
    vi: 'Bài học chưa có nội dung: cần ít nhất một đoạn văn bản hoặc một khối.',
    en: 'The lesson has no content: it needs at least some text or one block.',
  },
  UNKNOWN_COMPETENCY: {
    vi: 'Mã năng lực "{code}" không có trong khung năng lực nào (content/frameworks). Ví dụ mã hợp lệ: TT02:2.3, TT02:6.2@CB2, UNESCO-CFS:ETH:U.',
    en: 'The competency code "{code}" is not in any framework (content/frameworks). Valid examples: TT02:2.3, TT02:6.2@CB2, UNESCO-CFS:ETH:U.',
  },
  UNKNOWN_COMPETENCY_LEVEL: {
    vi: 'Mã năng lực "{code}": bậc "{level}" không có trong khung {framework} (các bậc: {levels}).',
    en: 'Competency "{code}": level "{level}" is not in the {framework} framework (levels: {levels}).',
  },
  DUPLICATE_ID: {
    vi: 'Mã "{id}" đã được dùng ở {other}; mã của bài kiểm tra, câu hỏi và bài thực hành phải khác nhau trong cả khóa học.',
    en: 'The id "{id}" is already used at {other}; quiz, question and practice ids must be unique in the whole course.',
  },
  BLOCK_KIND: {
    vi: 'Loại khối "{kind}" không được hỗ trợ; chỉ chấp nhận: text, quiz, practice, video, image, download.',
    en: 'The block kind "{kind}" is not supported; use one of: text, quiz, practice, video, image, download.',
  },
  QUESTION_FIELD_NOT_FOR_TYPE: {
    vi: 'Câu hỏi loại {type} không dùng trường "{field}" ({hintVi}).',
    en: 'A {type} question does not use "{field}" ({hintEn}).',
  },
  SINGLE_NEEDS_ONE_CORRECT: {
    vi: 'Câu hỏi một lựa chọn (single) phải có đúng 1 lựa chọn "correct: true" (đang có {count}).',
    en: 'A single-choice question needs exactly one option with "correct: true" (it has {count}).',
  },
  MULTIPLE_NEEDS_CORRECT: {
    vi: 'Câu hỏi nhiều lựa chọn (multiple) cần ít nhất 1 lựa chọn "correct: true".',
    en: 'A multiple-choice question needs at least one option with "correct: true".',
  },
  MULTIPLE_ALL_CORRECT: {
    vi: 'Câu hỏi nhiều lựa chọn (multiple) có mọi lựa chọn đều đúng; cần ít nhất 1 lựa chọn sai để câu hỏi có ý nghĩa.',
    en: 'Every option of this multiple-choice question is correct; include at least one wrong option.',
  },
  COURSE_NEEDS_QUIZ: {
    vi: 'Khóa học cần ít nhất một bài kiểm tra (khối ```quiz) có chấm điểm.',
    en: 'A course needs at least one graded quiz (a ```quiz block).',
  },
  FRAMEWORK_DUPLICATE: {
    vi: 'Khung năng lực {code} phiên bản {version} đã được khai báo ở tệp {other}.',
    en: 'Framework {code} version {version} is already defined in {other}.',
  },
} satisfies Record<string, LocalizedText>;

export type ProblemCode = keyof typeof PROBLEM_MESSAGES;

export function problem(code: ProblemCode, path: string, params: Params = {}): PackageProblem {
  const t = PROBLEM_MESSAGES[code];
  return { code, path, message: { vi: fill(t.vi, params), en: fill(t.en, params) } };
}

/** "courses/x/lessons/01-a.md:12: message" — how the importer prints a problem. */
export function formatProblem(p: PackageProblem, locale: 'vi' | 'en' = 'vi'): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}` : ''}` : p.path || '(gốc)';
  const field = p.file && p.path ? ` [${p.path}]` : '';
  return `${where}:${field} ${p.message[locale]}`;
}
