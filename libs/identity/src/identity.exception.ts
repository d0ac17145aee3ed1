import { type DomainErrorDefinition, type DomainErrorKind, DomainException } from '@hocso/common';

export enum IdentityExceptionCode {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  PASSWORD_CONFIRMATION_FAILED = 'PASSWORD_CONFIRMATION_FAILED',
  TOKEN_INVALID = 'TOKEN_INVALID',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  API_KEY_INVALID = 'API_KEY_INVALID',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  IDENTITY_TAKEN = 'IDENTITY_TAKEN',
  CONTACT_REQUIRED = 'CONTACT_REQUIRED',
  PHONE_INVALID = 'PHONE_INVALID',
  PASSWORD_TOO_SHORT = 'PASSWORD_TOO_SHORT',
  PASSWORD_TOO_COMMON = 'PASSWORD_TOO_COMMON',
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  ORG_UNIT_NOT_FOUND = 'ORG_UNIT_NOT_FOUND',
  ORG_UNIT_PARENT_INVALID = 'ORG_UNIT_PARENT_INVALID',
  ORG_UNIT_CODE_TAKEN = 'ORG_UNIT_CODE_TAKEN',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  ORG_UNIT_MANAGED = 'ORG_UNIT_MANAGED',
  ROLE_NOT_GRANTABLE = 'ROLE_NOT_GRANTABLE',
  SCOPE_NOT_ALLOWED = 'SCOPE_NOT_ALLOWED',
  CONFIRMATION_REQUIRED = 'CONFIRMATION_REQUIRED',
  INVITATION_INVALID = 'INVITATION_INVALID',
}

const DEFINITIONS: Record<IdentityExceptionCode, DomainErrorDefinition> = {
  CONFIRMATION_REQUIRED: {
    kind: 'invalid',
    message: {
      vi: 'Tài khoản này không có mật khẩu: hãy xác nhận bằng "confirm": true để xóa dữ liệu.',
      en: 'This account has no password: confirm with "confirm": true to erase your data.',
    },
  },
  INVALID_CREDENTIALS: {
    kind: 'unauthenticated',
    message: { vi: 'Thông tin đăng nhập không đúng.', en: 'The sign-in details are not correct.' },
  },
  // Signed in, but the password that confirms a sensitive change is wrong: a 403, not a 401 — a
  // client must not take it for an expired session (refresh, retry, sign the person out).
  PASSWORD_CONFIRMATION_FAILED: {
    kind: 'forbidden',
    message: {
      vi: 'Mật khẩu xác nhận không đúng.',
      en: 'The confirmation password is not correct.',
    },
  },
  TOKEN_INVALID: {
    kind: 'unauthenticated',
    message: { vi: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn.', en: 'The session is invalid or has expired.' },
  },
  REFRESH_TOKEN_REUSED: {
    kind: 'unauthenticated',
    message: {
      vi: 'Mã làm mới đã được dùng trước đó; vì an toàn, mọi phiên liên quan đã bị thu hồi. Hãy đăng nhập lại.',
      en: 'This refresh token was already used; for safety every related session was revoked. Please sign in again.',
    },
  },
  API_KEY_INVALID: {
    kind: 'unauthenticated',
    message: { vi: 'Khóa API không hợp lệ hoặc đã bị thu hồi.', en: 'The API key is invalid or has been revoked.' },
  },
  TOO_MANY_ATTEMPTS: {
    kind: 'rate_limited',
    message: {
      vi: 'Bạn đã thử quá nhiều lần. Vui lòng đợi rồi thử lại.',
      en: 'Too many attempts. Please wait and try again.',
    },
  },
  IDENTITY_TAKEN: {
    kind: 'conflict',
    message: {
      vi: 'Email hoặc số điện thoại này đã được dùng cho một tài khoản khác.',
      en: 'This e-mail or phone number is already used by another account.',
    },
  },
  CONTACT_REQUIRED: {
    kind: 'invalid',
    message: { vi: 'Cần có email hoặc số điện thoại.', en: 'An e-mail address or a phone number is required.' },
  },
  PHONE_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Số điện thoại di động Việt Nam không hợp lệ (ví dụ 0912 345 678 hoặc +84912345678).',
      en: 'Not a valid Vietnamese mobile number (e.g. 0912 345 678 or +84912345678).',
    },
  },
  PASSWORD_TOO_SHORT: {
    kind: 'invalid',
    message: { vi: 'Mật khẩu cần ít nhất 8 ký tự.', en: 'The password must be at least 8 characters long.' },
  },
  PASSWORD_TOO_COMMON: {
    kind: 'invalid',
    message: {
      vi: 'Mật khẩu này quá phổ biến và dễ bị đoán. Hãy chọn một cụm từ khác.',
      en: 'This password is too common and easy to guess. Please choose another phrase.',
    },
  },
  CONSENT_REQUIRED: {
    kind: 'unprocessable',
    message: {
      vi: 'Cần bạn đồng ý cho mục đích lưu trữ dữ liệu học tập để sử dụng Học Số.',
      en: 'Your consent to keep learning records is needed to use Hocso.',
    },
  },
  ORG_UNIT_NOT_FOUND: {
    kind: 'unprocessable',
    message: { vi: 'Không tìm thấy đơn vị.', en: 'The organisation unit does not exist.' },
  },
  ORG_UNIT_PARENT_INVALID: {
    kind: 'unprocessable',
    message: {
      vi: 'Loại đơn vị này không thể trực thuộc đơn vị cha đã chọn.',
      en: 'This kind of unit cannot sit under the chosen parent unit.',
    },
  },
  ORG_UNIT_CODE_TAKEN: {
    kind: 'conflict',
    message: { vi: 'Mã đơn vị đã tồn tại.', en: 'An organisation unit with this code already exists.' },
  },
  USER_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy người dùng.', en: 'User not found.' },
  },
  API_KEY_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy khóa API.', en: 'API key not found.' },
  },
  OUT_OF_SCOPE: {
    kind: 'forbidden',
    message: {
      vi: 'Bạn chỉ được quản lý người dùng và đơn vị thuộc phạm vi đơn vị của mình.',
      en: 'You may only manage users and units inside your own organisation unit.',
    },
  },
  ORG_UNIT_MANAGED: {
    kind: 'forbidden',
    message: {
      vi: 'Đơn vị của tài khoản quản trị do cấp trên quản lý: bạn không thể tự đổi đơn vị của mình.',
      en: 'An administrator’s unit is set by the administrator above them: you cannot change your own unit.',
    },
  },
  ROLE_NOT_GRANTABLE: {
    kind: 'forbidden',
    message: { vi: 'Bạn không có quyền cấp vai trò này.', en: 'You are not allowed to grant this role.' },
  },
  SCOPE_NOT_ALLOWED: {
    kind: 'forbidden',
    message: {
      vi: 'Khóa API này không có quyền thực hiện thao tác.',
      en: 'This API key is not allowed to perform the operation.',
    },
  },
  INVITATION_INVALID: {
    // 422, not 401: a public endpoint, and clients treat 401 as "refresh the session and retry".
    kind: 'unprocessable',
    message: {
      vi: 'Liên kết hoặc mã kích hoạt không đúng, đã hết hạn hoặc đã được sử dụng. Hãy nhờ người phụ trách lớp gửi lại lời mời.',
      en: 'The activation link or code is wrong, has expired or was already used. Ask your trainer to send a new invitation.',
    },
  },
};

export class IdentityException extends DomainException<IdentityExceptionCode> {
  readonly definitions = DEFINITIONS;

  /** A unit named by a body field breaks a rule (422); a unit named by the URL is a missing resource (404). */
  override get kind(): DomainErrorKind {
    if (this.code === IdentityExceptionCode.ORG_UNIT_NOT_FOUND && !this.options.field) return 'not_found';
    return super.kind;
  }
}
