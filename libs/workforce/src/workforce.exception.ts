import { type DomainErrorDefinition, DomainException, type LocalizedText, UPLOAD_MESSAGES } from '@hocso/common';

export enum WorkforceExceptionCode {
  PARK_NOT_FOUND = 'PARK_NOT_FOUND',
  ENTERPRISE_NOT_FOUND = 'ENTERPRISE_NOT_FOUND',
  COMMUNE_NOT_FOUND = 'COMMUNE_NOT_FOUND',
  UNIT_CODE_TAKEN = 'UNIT_CODE_TAKEN',
  TAX_CODE_TAKEN = 'TAX_CODE_TAKEN',
  ACTIVE_RANGE_INVALID = 'ACTIVE_RANGE_INVALID',
  DUPLICATE_WORKER_CODE = 'DUPLICATE_WORKER_CODE',
  WORKER_NOT_FOUND = 'WORKER_NOT_FOUND',
  INVITATION_INVALID = 'INVITATION_INVALID',
  WORKER_ALREADY_LINKED = 'WORKER_ALREADY_LINKED',
  REPORT_NOT_FOUND = 'REPORT_NOT_FOUND',
  REPORT_MALFORMED = 'REPORT_MALFORMED',
  REPORT_EMPTY = 'REPORT_EMPTY',
  CSV_NOT_UTF8 = 'CSV_NOT_UTF8',
  CSV_MISSING_COLUMNS = 'CSV_MISSING_COLUMNS',
  WEEK_INVALID = 'WEEK_INVALID',
  WEEK_RANGE_INVALID = 'WEEK_RANGE_INVALID',
  WEBHOOK_URL_NOT_ALLOWED = 'WEBHOOK_URL_NOT_ALLOWED',
}

const DEFINITIONS: Record<WorkforceExceptionCode, DomainErrorDefinition> = {
  PARK_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy khu công nghiệp.', en: 'Industrial park not found.' },
  },
  ENTERPRISE_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy doanh nghiệp.', en: 'Enterprise not found.' },
  },
  COMMUNE_NOT_FOUND: {
    kind: 'unprocessable',
    message: { vi: 'Không tìm thấy xã/phường với mã này.', en: 'No commune or ward has this code.' },
  },
  UNIT_CODE_TAKEN: {
    kind: 'conflict',
    message: { vi: 'Mã đơn vị đã tồn tại.', en: 'An organisation unit with this code already exists.' },
  },
  TAX_CODE_TAKEN: {
    kind: 'conflict',
    message: {
      vi: 'Mã số thuế này đã được đăng ký cho một doanh nghiệp khác.',
      en: 'This tax code is already registered for another enterprise.',
    },
  },
  ACTIVE_RANGE_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Ngày kết thúc không được trước ngày bắt đầu.',
      en: 'The end date must not be before the start date.',
    },
  },
  DUPLICATE_WORKER_CODE: {
    kind: 'invalid',
    message: {
      vi: 'Mã nhân viên bị lặp lại trong cùng một yêu cầu.',
      en: 'A worker code appears more than once in the request.',
    },
  },
  WORKER_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy người lao động với mã này.', en: 'No worker has this code.' },
  },
  INVITATION_INVALID: {
    kind: 'unprocessable',
    message: {
      vi: 'Lời mời không hợp lệ, đã hết hạn hoặc đã được dùng.',
      en: 'The invitation is invalid, expired or already used.',
    },
  },
  WORKER_ALREADY_LINKED: {
    kind: 'conflict',
    message: {
      vi: 'Người lao động này đã được liên kết với một tài khoản Học Số.',
      en: 'This worker is already linked to a Hocso account.',
    },
  },
  REPORT_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy báo cáo đào tạo.', en: 'Training report not found.' },
  },
  REPORT_MALFORMED: {
    kind: 'invalid',
    message: {
      vi: 'Báo cáo phải có dạng { "sessions": [ … ] }, mỗi phần tử là một đối tượng.',
      en: 'The report must look like { "sessions": [ … ] }, each item an object.',
    },
  },
  REPORT_EMPTY: {
    kind: 'invalid',
    message: { vi: 'Báo cáo không có dòng dữ liệu nào.', en: 'The report has no data rows.' },
  },
  CSV_NOT_UTF8: { kind: 'unprocessable', message: UPLOAD_MESSAGES.csvNotUtf8 },
  CSV_MISSING_COLUMNS: {
    kind: 'unprocessable',
    message: {
      vi: 'Tệp CSV thiếu cột bắt buộc (Mã NV, Ngày, Số phút, Nội dung).',
      en: 'The CSV file lacks a required column (worker code, date, minutes, topic).',
    },
  },
  WEEK_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Tuần phải theo ISO 8601, dạng YYYY-Www (ví dụ 2026-W02).',
      en: 'The week must be an ISO 8601 week, YYYY-Www (e.g. 2026-W02).',
    },
  },
  WEEK_RANGE_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Khoảng tuần không hợp lệ (từ ≤ đến, tối đa 53 tuần).',
      en: 'The week range is not valid (from ≤ to, at most 53 weeks).',
    },
  },
  WEBHOOK_URL_NOT_ALLOWED: {
    kind: 'unprocessable',
    message: {
      vi: 'Địa chỉ webhook phải là URL http(s) công khai (không trỏ vào mạng nội bộ).',
      en: 'The webhook address must be a public http(s) URL (not a private network).',
    },
  },
};

export class WorkforceException extends DomainException<WorkforceExceptionCode> {
  readonly definitions = DEFINITIONS;
}

/** Why a report row was rejected; stored as the code, shown in the caller's language. */
export enum RowErrorCode {
  ROW_NOT_AN_OBJECT = 'ROW_NOT_AN_OBJECT',
  MALFORMED_ROW = 'MALFORMED_ROW',
  FIELD_TYPE_INVALID = 'FIELD_TYPE_INVALID',
  WORKER_CODE_REQUIRED = 'WORKER_CODE_REQUIRED',
  UNKNOWN_WORKER = 'UNKNOWN_WORKER',
  INACTIVE_WORKER = 'INACTIVE_WORKER',
  DATE_REQUIRED = 'DATE_REQUIRED',
  DATE_INVALID = 'DATE_INVALID',
  DATE_IN_FUTURE = 'DATE_IN_FUTURE',
  DATE_TOO_OLD = 'DATE_TOO_OLD',
  MINUTES_REQUIRED = 'MINUTES_REQUIRED',
  MINUTES_INVALID = 'MINUTES_INVALID',
  MINUTES_OUT_OF_RANGE = 'MINUTES_OUT_OF_RANGE',
  TOPIC_REQUIRED = 'TOPIC_REQUIRED',
  TEXT_TOO_LONG = 'TEXT_TOO_LONG',
  COURSE_SLUG_INVALID = 'COURSE_SLUG_INVALID',
  DUPLICATE_ROW = 'DUPLICATE_ROW',
}

export const ROW_ERROR_MESSAGES: Record<RowErrorCode, LocalizedText> = {
  ROW_NOT_AN_OBJECT: { vi: 'Dòng phải là một đối tượng JSON.', en: 'The row must be a JSON object.' },
  MALFORMED_ROW: {
    vi: 'Dòng có nhiều cột hơn tiêu đề.',
    en: 'The row has more columns than the header.',
  },
  FIELD_TYPE_INVALID: UPLOAD_MESSAGES.fieldTypeInvalid,
  WORKER_CODE_REQUIRED: { vi: 'Thiếu mã nhân viên.', en: 'The worker code is missing.' },
  UNKNOWN_WORKER: {
    vi: 'Mã nhân viên không có trong danh sách người lao động của doanh nghiệp.',
    en: "The worker code is not on the enterprise's roster.",
  },
  INACTIVE_WORKER: {
    vi: 'Người lao động không còn (hoặc chưa) làm việc vào ngày này.',
    en: 'The worker was not active on this date.',
  },
  DATE_REQUIRED: { vi: 'Thiếu ngày.', en: 'The date is missing.' },
  DATE_INVALID: {
    vi: 'Ngày không hợp lệ (dùng dd/MM/yyyy hoặc YYYY-MM-DD).',
    en: 'The date is not valid (use dd/MM/yyyy or YYYY-MM-DD).',
  },
  DATE_IN_FUTURE: { vi: 'Ngày nằm trong tương lai.', en: 'The date is in the future.' },
  DATE_TOO_OLD: {
    vi: 'Ngày quá cũ, nằm ngoài khoảng thời gian được nhận báo cáo.',
    en: 'The date is older than the reporting window.',
  },
  MINUTES_REQUIRED: { vi: 'Thiếu số phút.', en: 'The number of minutes is missing.' },
  MINUTES_INVALID: { vi: 'Số phút phải là số nguyên.', en: 'Minutes must be a whole number.' },
  MINUTES_OUT_OF_RANGE: { vi: 'Số phút phải từ 1 đến 600.', en: 'Minutes must be between 1 and 600.' },
  TOPIC_REQUIRED: { vi: 'Thiếu nội dung đào tạo.', en: 'The topic is missing.' },
  TEXT_TOO_LONG: UPLOAD_MESSAGES.textTooLong,
  COURSE_SLUG_INVALID: {
    vi: 'Mã khóa học chỉ gồm chữ thường không dấu, số và dấu gạch ngang.',
    en: 'A course slug has only lower-case letters, digits and hyphens.',
  },
  DUPLICATE_ROW: {
    vi: 'Dòng trùng với một dòng trước trong cùng báo cáo (cùng người, ngày và nội dung/mã tham chiếu).',
    en: 'The row repeats an earlier row of this report (same worker, date and topic or reference).',
  },
};
