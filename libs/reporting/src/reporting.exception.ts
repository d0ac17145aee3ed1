import { type DomainErrorDefinition, DomainException, UPLOAD_MESSAGES } from '@hocso/common';

export enum ReportingExceptionCode {
  PERIOD_INVALID = 'PERIOD_INVALID',
  KPI_NOT_FOUND = 'KPI_NOT_FOUND',
  BREAKDOWN_INVALID = 'BREAKDOWN_INVALID',
  ORG_UNIT_NOT_FOUND = 'ORG_UNIT_NOT_FOUND',
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  WRONG_UNIT_KIND = 'WRONG_UNIT_KIND',
  DEFINITION_INVALID = 'DEFINITION_INVALID',
  UPLOAD_MALFORMED = 'UPLOAD_MALFORMED',
  UPLOAD_EMPTY = 'UPLOAD_EMPTY',
  UPLOAD_TOO_LARGE = 'UPLOAD_TOO_LARGE',
  UPLOAD_ROWS_INVALID = 'UPLOAD_ROWS_INVALID',
  CSV_NOT_UTF8 = 'CSV_NOT_UTF8',
  CSV_MISSING_COLUMNS = 'CSV_MISSING_COLUMNS',
  RANGE_INVALID = 'RANGE_INVALID',
  SNAPSHOT_NOT_FOUND = 'SNAPSHOT_NOT_FOUND',
  QUEUE_UNAVAILABLE = 'QUEUE_UNAVAILABLE',
}

const DEFINITIONS: Record<ReportingExceptionCode, DomainErrorDefinition> = {
  QUEUE_UNAVAILABLE: {
    kind: 'unavailable',
    message: {
      vi: 'Hàng đợi xử lý tạm thời không sẵn sàng; vui lòng thử lại sau ít giây.',
      en: 'The job queue is briefly unavailable; please try again in a few seconds.',
    },
  },
  SNAPSHOT_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Kỳ này chưa có số liệu chốt.', en: 'No snapshot for this period yet.' },
  },
  PERIOD_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Kỳ báo cáo không hợp lệ: dùng tuần ISO (2026-W48), tháng (2026-11), quý (2026-Q4) hoặc năm (2026).',
      en: 'Invalid period: use an ISO week (2026-W48), a month (2026-11), a quarter (2026-Q4) or a year (2026).',
    },
  },
  KPI_NOT_FOUND: { kind: 'not_found', message: { vi: 'Không có chỉ tiêu này.', en: 'No such KPI.' } },
  BREAKDOWN_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Chỉ tiêu này không phân tách được theo chiều đã chọn.',
      en: 'This KPI cannot be broken down by that dimension.',
    },
  },
  ORG_UNIT_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy đơn vị.', en: 'Organisation unit not found.' },
  },
  OUT_OF_SCOPE: {
    kind: 'forbidden',
    message: {
      vi: 'Bạn chỉ xem và cập nhật được số liệu của đơn vị mình phụ trách.',
      en: 'You can only read and update the figures of the units you administer.',
    },
  },
  WRONG_UNIT_KIND: {
    kind: 'unprocessable',
    message: {
      vi: 'Đơn vị không thuộc loại phù hợp cho thao tác này.',
      en: 'The unit is not of the right kind for this.',
    },
  },
  DEFINITION_INVALID: {
    kind: 'unprocessable',
    message: { vi: 'Giá trị mục tiêu hoặc tham số không hợp lệ.', en: 'Invalid target or parameter.' },
  },
  UPLOAD_MALFORMED: {
    kind: 'invalid',
    message: { vi: 'Dữ liệu tải lên không đúng định dạng.', en: 'The upload is not in the expected format.' },
  },
  UPLOAD_EMPTY: {
    kind: 'invalid',
    message: { vi: 'Tệp không có dòng dữ liệu nào.', en: 'The upload has no data rows.' },
  },
  UPLOAD_TOO_LARGE: {
    kind: 'invalid',
    message: { vi: 'Tệp có quá nhiều dòng hoặc quá lớn.', en: 'The upload has too many rows or is too large.' },
  },
  UPLOAD_ROWS_INVALID: {
    kind: 'unprocessable',
    message: {
      vi: 'Một số dòng không hợp lệ; chưa có dòng nào được lưu. Sửa các dòng được liệt kê rồi tải lại.',
      en: 'Some rows are invalid; nothing was saved. Fix the listed rows and upload again.',
    },
  },
  CSV_NOT_UTF8: { kind: 'invalid', message: UPLOAD_MESSAGES.csvNotUtf8 },
  CSV_MISSING_COLUMNS: {
    kind: 'invalid',
    message: { vi: 'Tệp CSV thiếu cột bắt buộc.', en: 'The CSV file lacks a required column.' },
  },
  RANGE_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Khoảng thời gian không hợp lệ (từ tuần phải trước đến tuần, tối đa 104 tuần).',
      en: 'Invalid range (from must not be after to; at most 104 weeks).',
    },
  },
};

export class ReportingException extends DomainException<ReportingExceptionCode> {
  readonly definitions = DEFINITIONS;
}
