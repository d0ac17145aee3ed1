import { type DomainErrorDefinition, DomainException } from '@hocso/common';

export enum EmbedExceptionCode {
  INTEGRATOR_NOT_FOUND = 'INTEGRATOR_NOT_FOUND',
  ORIGIN_INVALID = 'ORIGIN_INVALID',
  LRS_ENDPOINT_INVALID = 'LRS_ENDPOINT_INVALID',
  LESSON_NOT_FOUND = 'LESSON_NOT_FOUND',
  OEMBED_URL_UNKNOWN = 'OEMBED_URL_UNKNOWN',
  OEMBED_FORMAT_UNSUPPORTED = 'OEMBED_FORMAT_UNSUPPORTED',
  RATE_LIMITED = 'RATE_LIMITED',
  XAPI_QUERY_INVALID = 'XAPI_QUERY_INVALID',
}

const DEFINITIONS: Record<EmbedExceptionCode, DomainErrorDefinition> = {
  INTEGRATOR_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy đơn vị tích hợp.', en: 'Integrator not found.' },
  },
  ORIGIN_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Origin phải có dạng https://ten-mien (không có đường dẫn); chỉ cho phép một dấu * ở đầu tên miền con, ví dụ https://*.thainguyen.gov.vn.',
      en: 'An origin looks like https://host (no path); the only wildcard is a leading subdomain, e.g. https://*.thainguyen.gov.vn.',
    },
  },
  LRS_ENDPOINT_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Địa chỉ LRS phải là URL https công khai.',
      en: 'The LRS endpoint must be a public https URL.',
    },
  },
  LESSON_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy bài học.', en: 'Lesson not found.' },
  },
  OEMBED_URL_UNKNOWN: {
    kind: 'not_found',
    message: {
      vi: 'Địa chỉ này không phải là khóa học hoặc bài học của Học Số.',
      en: 'This URL is not a Hocso course or lesson.',
    },
  },
  OEMBED_FORMAT_UNSUPPORTED: {
    kind: 'not_implemented',
    message: { vi: 'Chỉ hỗ trợ định dạng json.', en: 'Only the json format is supported.' },
  },
  RATE_LIMITED: {
    kind: 'rate_limited',
    message: {
      vi: 'Quá nhiều yêu cầu. Vui lòng thử lại sau ít giây.',
      en: 'Too many requests. Please try again in a few seconds.',
    },
  },
  XAPI_QUERY_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Tham số truy vấn xAPI không hợp lệ (since/until là thời điểm ISO 8601, agent là JSON của một Agent).',
      en: 'Invalid xAPI query (since/until are ISO 8601 instants, agent is an Agent in JSON).',
    },
  },
};

export class EmbedException extends DomainException<EmbedExceptionCode> {
  readonly definitions = DEFINITIONS;
}
