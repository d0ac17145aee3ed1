import { type DomainErrorDefinition, DomainException } from '@hocso/common';

export enum LtiExceptionCode {
  // registration
  LTI_FORBIDDEN = 'LTI_FORBIDDEN',
  LTI_PLATFORM_EXISTS = 'LTI_PLATFORM_EXISTS',
  LTI_URL_INVALID = 'LTI_URL_INVALID',
  LTI_INTEGRATOR_NOT_FOUND = 'LTI_INTEGRATOR_NOT_FOUND',
  // OIDC login initiation
  LTI_LOGIN_INVALID = 'LTI_LOGIN_INVALID',
  LTI_PLATFORM_UNKNOWN = 'LTI_PLATFORM_UNKNOWN',
  LTI_PLATFORM_AMBIGUOUS = 'LTI_PLATFORM_AMBIGUOUS',
  LTI_TARGET_INVALID = 'LTI_TARGET_INVALID',
  // launch
  LTI_STATE_INVALID = 'LTI_STATE_INVALID',
  LTI_STATE_EXPIRED = 'LTI_STATE_EXPIRED',
  LTI_TOKEN_MALFORMED = 'LTI_TOKEN_MALFORMED',
  LTI_ALGORITHM_UNSUPPORTED = 'LTI_ALGORITHM_UNSUPPORTED',
  LTI_KEY_UNKNOWN = 'LTI_KEY_UNKNOWN',
  LTI_SIGNATURE_INVALID = 'LTI_SIGNATURE_INVALID',
  LTI_PLATFORM_KEYS_UNAVAILABLE = 'LTI_PLATFORM_KEYS_UNAVAILABLE',
  LTI_ISSUER_MISMATCH = 'LTI_ISSUER_MISMATCH',
  LTI_AUDIENCE_MISMATCH = 'LTI_AUDIENCE_MISMATCH',
  LTI_AUDIENCE_UNTRUSTED = 'LTI_AUDIENCE_UNTRUSTED',
  LTI_AZP_INVALID = 'LTI_AZP_INVALID',
  LTI_TOKEN_EXPIRED = 'LTI_TOKEN_EXPIRED',
  LTI_TOKEN_STALE = 'LTI_TOKEN_STALE',
  LTI_CLAIM_MISSING = 'LTI_CLAIM_MISSING',
  LTI_NONCE_MISSING = 'LTI_NONCE_MISSING',
  LTI_NONCE_MISMATCH = 'LTI_NONCE_MISMATCH',
  LTI_NONCE_REPLAYED = 'LTI_NONCE_REPLAYED',
  LTI_DEPLOYMENT_UNKNOWN = 'LTI_DEPLOYMENT_UNKNOWN',
  LTI_VERSION_UNSUPPORTED = 'LTI_VERSION_UNSUPPORTED',
  LTI_MESSAGE_TYPE_UNSUPPORTED = 'LTI_MESSAGE_TYPE_UNSUPPORTED',
  LTI_SUBJECT_MISSING = 'LTI_SUBJECT_MISSING',
  LTI_TARGET_UNKNOWN = 'LTI_TARGET_UNKNOWN',
  LTI_ACCOUNT_DISABLED = 'LTI_ACCOUNT_DISABLED',
  // deep linking
  LTI_DEEP_LINKING_FORBIDDEN = 'LTI_DEEP_LINKING_FORBIDDEN',
  LTI_DEEP_LINKING_SETTINGS_INVALID = 'LTI_DEEP_LINKING_SETTINGS_INVALID',
  LTI_DEEP_LINKING_SESSION_INVALID = 'LTI_DEEP_LINKING_SESSION_INVALID',
  LTI_DEEP_LINKING_TOO_MANY = 'LTI_DEEP_LINKING_TOO_MANY',
  LTI_DEEP_LINKING_ITEM_UNKNOWN = 'LTI_DEEP_LINKING_ITEM_UNKNOWN',
}

const DEFINITIONS: Record<LtiExceptionCode, DomainErrorDefinition> = {
  LTI_FORBIDDEN: {
    kind: 'forbidden',
    message: {
      vi: 'Chỉ quản trị viên cấp tỉnh được quản lý nền tảng LTI.',
      en: 'Only province admins manage LTI platforms.',
    },
  },
  LTI_PLATFORM_EXISTS: {
    kind: 'conflict',
    message: {
      vi: 'Nền tảng với issuer và client_id này đã được đăng ký.',
      en: 'A platform with this issuer and client_id is already registered.',
    },
  },
  LTI_URL_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Địa chỉ không hợp lệ: cần một URL tuyệt đối dùng https.',
      en: 'Invalid address: an absolute https URL is required.',
    },
  },
  LTI_INTEGRATOR_NOT_FOUND: {
    kind: 'invalid',
    message: {
      vi: 'Không tìm thấy đơn vị tích hợp (integrator) với mã này.',
      en: 'No integrator org unit has this id.',
    },
  },
  LTI_LOGIN_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Yêu cầu đăng nhập LTI thiếu iss, login_hint hoặc target_link_uri.',
      en: 'The LTI login request lacks iss, login_hint or target_link_uri.',
    },
  },
  LTI_PLATFORM_UNKNOWN: {
    kind: 'invalid',
    message: { vi: 'Nền tảng LTI này chưa được đăng ký.', en: 'This LTI platform is not registered.' },
  },
  LTI_PLATFORM_AMBIGUOUS: {
    kind: 'invalid',
    message: {
      vi: 'Issuer này có nhiều client_id đã đăng ký: cần gửi client_id.',
      en: 'Several client_ids are registered for this issuer: send client_id.',
    },
  },
  LTI_TARGET_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'target_link_uri phải là một địa chỉ của Học Số.',
      en: 'target_link_uri must be an address of this Hocso.',
    },
  },
  LTI_STATE_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Tham số state không hợp lệ hoặc không khớp với lần đăng nhập nào.',
      en: 'The state parameter is invalid or matches no login.',
    },
  },
  LTI_STATE_EXPIRED: {
    kind: 'invalid',
    message: {
      vi: 'Phiên đăng nhập LTI đã hết hạn (10 phút). Hãy mở lại từ hệ thống học tập.',
      en: 'The LTI login has expired (10 minutes). Open the link again from the learning platform.',
    },
  },
  LTI_TOKEN_MALFORMED: {
    kind: 'invalid',
    message: { vi: 'id_token không phải là một JWT hợp lệ.', en: 'The id_token is not a well-formed JWT.' },
  },
  LTI_ALGORITHM_UNSUPPORTED: {
    kind: 'unauthenticated',
    message: { vi: 'id_token phải được ký bằng RS256.', en: 'The id_token must be signed with RS256.' },
  },
  LTI_KEY_UNKNOWN: {
    kind: 'unauthenticated',
    message: {
      vi: 'Khóa ký (kid) của id_token không có trong JWKS của nền tảng.',
      en: "The id_token's signing key (kid) is not in the platform's JWKS.",
    },
  },
  LTI_SIGNATURE_INVALID: {
    kind: 'unauthenticated',
    message: { vi: 'Chữ ký của id_token không hợp lệ.', en: "The id_token's signature is invalid." },
  },
  LTI_PLATFORM_KEYS_UNAVAILABLE: {
    kind: 'unavailable',
    message: {
      vi: 'Không tải được khóa công khai (JWKS) của nền tảng. Hãy thử lại sau.',
      en: "The platform's public keys (JWKS) could not be fetched. Try again later.",
    },
  },
  LTI_ISSUER_MISMATCH: {
    kind: 'unauthenticated',
    message: {
      vi: 'iss của id_token không khớp với nền tảng đã đăng ký.',
      en: "The id_token's iss does not match the registered platform.",
    },
  },
  LTI_AUDIENCE_MISMATCH: {
    kind: 'unauthenticated',
    message: {
      vi: 'aud của id_token không chứa client_id của Học Số.',
      en: "The id_token's aud does not contain Hocso's client_id.",
    },
  },
  LTI_AUDIENCE_UNTRUSTED: {
    kind: 'unauthenticated',
    message: {
      vi: 'aud của id_token chứa một bên nhận không được tin cậy.',
      en: "The id_token's aud contains an untrusted audience.",
    },
  },
  LTI_AZP_INVALID: {
    kind: 'unauthenticated',
    message: {
      vi: 'azp của id_token thiếu hoặc không phải client_id của Học Số.',
      en: "The id_token's azp is missing or is not Hocso's client_id.",
    },
  },
  LTI_TOKEN_EXPIRED: {
    kind: 'unauthenticated',
    message: { vi: 'id_token đã hết hạn.', en: 'The id_token has expired.' },
  },
  LTI_TOKEN_STALE: {
    kind: 'unauthenticated',
    message: {
      vi: 'Thời điểm phát hành (iat) của id_token quá cũ hoặc ở tương lai.',
      en: "The id_token's issue time (iat) is too old or in the future.",
    },
  },
  LTI_CLAIM_MISSING: {
    kind: 'invalid',
    message: {
      vi: 'id_token thiếu một claim bắt buộc hoặc claim sai kiểu.',
      en: 'The id_token lacks a required claim or has one of the wrong type.',
    },
  },
  LTI_NONCE_MISSING: {
    kind: 'unauthenticated',
    message: { vi: 'id_token không có nonce.', en: 'The id_token has no nonce.' },
  },
  LTI_NONCE_MISMATCH: {
    kind: 'unauthenticated',
    message: {
      vi: 'nonce của id_token không khớp với lần đăng nhập này.',
      en: "The id_token's nonce does not match this login.",
    },
  },
  LTI_NONCE_REPLAYED: {
    kind: 'unauthenticated',
    message: {
      vi: 'id_token này đã được dùng (nonce dùng lại).',
      en: 'This id_token has already been used (nonce replayed).',
    },
  },
  LTI_DEPLOYMENT_UNKNOWN: {
    kind: 'invalid',
    message: {
      vi: 'deployment_id này chưa được đăng ký cho nền tảng.',
      en: 'This deployment_id is not registered for the platform.',
    },
  },
  LTI_VERSION_UNSUPPORTED: {
    kind: 'invalid',
    message: { vi: 'Chỉ hỗ trợ LTI phiên bản 1.3.0.', en: 'Only LTI version 1.3.0 is supported.' },
  },
  LTI_MESSAGE_TYPE_UNSUPPORTED: {
    kind: 'invalid',
    message: {
      vi: 'message_type phải là LtiResourceLinkRequest hoặc LtiDeepLinkingRequest.',
      en: 'message_type must be LtiResourceLinkRequest or LtiDeepLinkingRequest.',
    },
  },
  LTI_SUBJECT_MISSING: {
    kind: 'invalid',
    message: { vi: 'id_token không có sub (mã người dùng).', en: 'The id_token has no sub (user id).' },
  },
  LTI_TARGET_UNKNOWN: {
    kind: 'invalid',
    message: {
      vi: 'Liên kết không trỏ tới khóa học hoặc bài học đang phát hành trên Học Số.',
      en: 'The link does not point at a published Hocso course or lesson.',
    },
  },
  LTI_ACCOUNT_DISABLED: {
    kind: 'forbidden',
    message: { vi: 'Tài khoản Học Số gắn với người dùng này đã bị khóa.', en: 'The linked Hocso account is disabled.' },
  },
  LTI_DEEP_LINKING_FORBIDDEN: {
    kind: 'forbidden',
    message: {
      vi: 'Chỉ giảng viên, quản trị viên hoặc người soạn nội dung của lớp mới được chọn nội dung.',
      en: 'Only instructors, administrators or content developers of the context may pick content.',
    },
  },
  LTI_DEEP_LINKING_SETTINGS_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'deep_linking_settings thiếu deep_link_return_url hợp lệ hoặc không nhận ltiResourceLink.',
      en: 'deep_linking_settings lacks a valid deep_link_return_url or does not accept ltiResourceLink.',
    },
  },
  LTI_DEEP_LINKING_SESSION_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Phiên chọn nội dung không hợp lệ, đã dùng hoặc đã hết hạn. Hãy mở lại từ hệ thống học tập.',
      en: 'The content selection session is invalid, used or expired. Open it again from the learning platform.',
    },
  },
  LTI_DEEP_LINKING_TOO_MANY: {
    kind: 'invalid',
    message: { vi: 'Nền tảng chỉ nhận một nội dung.', en: 'The platform accepts a single item only.' },
  },
  LTI_DEEP_LINKING_ITEM_UNKNOWN: {
    kind: 'invalid',
    message: {
      vi: 'Nội dung đã chọn không còn được phát hành.',
      en: 'A selected item is not (or no longer) published.',
    },
  },
};

export class LtiException extends DomainException<LtiExceptionCode> {
  readonly definitions = DEFINITIONS;
}
