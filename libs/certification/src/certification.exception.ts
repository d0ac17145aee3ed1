import { type DomainErrorDefinition, DomainException } from '@hocso/common';

export enum CertificationExceptionCode {
  CERTIFICATE_NOT_FOUND = 'CERTIFICATE_NOT_FOUND',
  STATUS_LIST_NOT_FOUND = 'STATUS_LIST_NOT_FOUND',
  PROFILE_NOT_FOUND = 'PROFILE_NOT_FOUND',
  CREDENTIAL_MISSING = 'CREDENTIAL_MISSING',
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  RULE_INVALID = 'RULE_INVALID',
}

const DEFINITIONS: Record<CertificationExceptionCode, DomainErrorDefinition> = {
  CERTIFICATE_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy chứng nhận.', en: 'Certificate not found.' },
  },
  STATUS_LIST_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy danh sách trạng thái.', en: 'Status list not found.' },
  },
  PROFILE_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy hồ sơ công khai.', en: 'Public profile not found.' },
  },
  CREDENTIAL_MISSING: {
    kind: 'invalid',
    message: {
      vi: 'Cần gửi chứng nhận cần kiểm tra (chuỗi JWT hoặc đối tượng JSON) trong trường "credential".',
      en: 'Send the credential to check (a JWT string or a JSON object) in "credential".',
    },
  },
  OUT_OF_SCOPE: {
    kind: 'forbidden',
    message: {
      vi: 'Bạn không có quyền thực hiện thao tác này với chứng nhận này.',
      en: 'You may not do this with this certificate.',
    },
  },
  RULE_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Quy tắc cấp chứng nhận không hợp lệ: khóa học (mã hoặc "*") hoặc loại lớp (tot, official, citizen, worker).',
      en: 'Invalid certificate rule: a course (slug or "*") or a cohort kind (tot, official, citizen, worker).',
    },
  },
};

export class CertificationException extends DomainException<CertificationExceptionCode> {
  readonly definitions = DEFINITIONS;
}
