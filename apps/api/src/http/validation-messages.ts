import type { ValidationError } from 'class-validator';
import type { Locale } from './locale';

export interface FieldError {
  field: string;
  message: string;
  constraint: string;
}

const num = (message: string) => message.match(/-?\d+(\.\d+)?/)?.[0] ?? '';
const listed = (message: string) => message.split(':').slice(1).join(':').trim();

/** Vietnamese wording for class-validator constraints; English keeps class-validator's own text. */
const VI: Record<string, (english: string) => string> = {
  whitelistValidation: () => 'Trường này không được phép gửi lên.',
  isDefined: () => 'Trường này là bắt buộc.',
  isNotEmpty: () => 'Không được để trống.',
  isString: () => 'Phải là chuỗi ký tự.',
  isBoolean: () => 'Phải là true hoặc false.',
  isInt: () => 'Phải là số nguyên.',
  isNumber: () => 'Phải là số.',
  isEmail: () => 'Địa chỉ email không hợp lệ.',
  isUUID: () => 'Phải là mã định danh UUID hợp lệ.',
  isArray: () => 'Phải là một danh sách.',
  isObject: () => 'Phải là một đối tượng JSON.',
  isEnum: (m) => `Giá trị không hợp lệ; chỉ chấp nhận: ${listed(m)}.`,
  isIn: (m) => `Giá trị không hợp lệ; chỉ chấp nhận: ${listed(m)}.`,
  min: (m) => `Không được nhỏ hơn ${num(m)}.`,
  max: (m) => `Không được lớn hơn ${num(m)}.`,
  minLength: (m) => `Cần ít nhất ${num(m)} ký tự.`,
  maxLength: (m) => `Không được dài quá ${num(m)} ký tự.`,
  arrayMinSize: (m) => `Cần ít nhất ${num(m)} phần tử.`,
  arrayMaxSize: (m) => `Không được quá ${num(m)} phần tử.`,
  arrayUnique: () => 'Các phần tử không được trùng nhau.',
  matches: () => 'Không đúng định dạng.',
  isISO8601: () => 'Phải là ngày giờ theo ISO 8601.',
  isDateString: () => 'Phải là ngày giờ theo ISO 8601.',
  isUrl: () => 'Phải là địa chỉ URL hợp lệ.',
  nestedValidation: () => 'Cấu trúc lồng nhau không hợp lệ.',
  unknownValue: () => 'Nội dung gửi lên không hợp lệ.',
  maxDepth: (m) => `Cấu trúc lồng nhau quá sâu (tối đa ${num(m)} cấp).`,
  wellFormedText: () => 'Chứa ký tự không hợp lệ (ký tự NUL hoặc nửa cặp surrogate UTF-16).',
};

/** Flattens nested ValidationErrors into `[{ field: "consents.learning", message }]`. */
export function flattenValidationErrors(errors: ValidationError[], locale: Locale, parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const [constraint, english] of Object.entries(e.constraints ?? {})) {
      const vi = VI[constraint];
      const message = locale === 'vi' && vi ? vi(english) : english;
      out.push({ field: field || '(body)', message, constraint });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, locale, field));
  }
  return out;
}
