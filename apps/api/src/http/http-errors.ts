import type { LocalizedText } from '@hocso/common';

/** Platform-level problem codes (not owned by a domain library). */
export const HTTP_PROBLEMS: Record<string, { status: number; message: LocalizedText }> = {
  VALIDATION_FAILED: {
    status: 400,
    message: { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The request data is not valid.' },
  },
  MALFORMED_JSON: {
    status: 400,
    message: { vi: 'Nội dung không phải JSON hợp lệ.', en: 'The request body is not valid JSON.' },
  },
  EMPTY_BODY: {
    status: 400,
    message: { vi: 'Thiếu nội dung yêu cầu.', en: 'The request body is empty.' },
  },
  BAD_REQUEST: { status: 400, message: { vi: 'Yêu cầu không hợp lệ.', en: 'Bad request.' } },
  INVALID_CURSOR: {
    status: 400,
    message: { vi: 'Con trỏ phân trang không hợp lệ.', en: 'The pagination cursor is not valid.' },
  },
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    message: {
      vi: 'Thao tác này cần tiêu đề Idempotency-Key (1–255 ký tự).',
      en: 'This operation requires an Idempotency-Key header (1–255 characters).',
    },
  },
  UNAUTHENTICATED: {
    status: 401,
    message: { vi: 'Bạn cần đăng nhập.', en: 'Authentication is required.' },
  },
  FORBIDDEN: {
    status: 403,
    message: { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' },
  },
  NOT_FOUND: { status: 404, message: { vi: 'Không tìm thấy.', en: 'Not found.' } },
  ROUTE_NOT_FOUND: {
    status: 404,
    message: { vi: 'Không có địa chỉ này trong API.', en: 'No such route in the API.' },
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: {
      vi: 'Phương thức HTTP này không được hỗ trợ ở địa chỉ này.',
      en: 'This HTTP method is not allowed here.',
    },
  },
  NOT_ACCEPTABLE: { status: 406, message: { vi: 'Không thể trả về định dạng yêu cầu.', en: 'Not acceptable.' } },
  CONFLICT: { status: 409, message: { vi: 'Xung đột dữ liệu.', en: 'Conflict.' } },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    message: {
      vi: 'Yêu cầu đầu tiên với Idempotency-Key này vẫn đang được xử lý; hãy thử lại sau giây lát.',
      en: 'The first request with this Idempotency-Key is still being processed; retry shortly.',
    },
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: { vi: 'Nội dung gửi lên quá lớn.', en: 'The request body is too large.' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: {
      vi: 'Kiểu nội dung (Content-Type) không được hỗ trợ; hãy gửi application/json.',
      en: 'Unsupported Content-Type; send application/json.',
    },
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: {
      vi: 'Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác.',
      en: 'This Idempotency-Key was already used with a different request body.',
    },
  },
  UNPROCESSABLE: { status: 422, message: { vi: 'Không thể xử lý yêu cầu.', en: 'Unprocessable request.' } },
  RATE_LIMITED: {
    status: 429,
    message: { vi: 'Quá nhiều yêu cầu. Vui lòng thử lại sau.', en: 'Too many requests. Please retry later.' },
  },
  INTERNAL_ERROR: {
    status: 500,
    message: {
      vi: 'Đã xảy ra lỗi không mong muốn. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo mã lỗi cho bộ phận hỗ trợ.',
      en: 'An unexpected error occurred. Please retry; if it persists, report the error id to support.',
    },
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: {
      vi: 'Dịch vụ tạm thời không sẵn sàng. Vui lòng thử lại sau.',
      en: 'The service is temporarily unavailable. Please retry later.',
    },
  },
};

/** Raised by the HTTP layer itself (idempotency, pagination, routing). */
export class HttpProblem extends Error {
  constructor(
    readonly code: keyof typeof HTTP_PROBLEMS,
    readonly options: { field?: string; retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    super(code);
  }
}

/** The generic code for a status when nothing more specific is known. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 406:
      return 'NOT_ACCEPTABLE';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 422:
      return 'UNPROCESSABLE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}
