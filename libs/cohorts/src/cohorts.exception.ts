import { type DomainErrorDefinition, DomainException, type LocalizedText, UPLOAD_MESSAGES } from '@hocso/common';

export enum CohortExceptionCode {
  COHORT_NOT_FOUND = 'COHORT_NOT_FOUND',
  TRAINER_NOT_FOUND = 'TRAINER_NOT_FOUND',
  QUALIFICATION_NOT_FOUND = 'QUALIFICATION_NOT_FOUND',
  NOT_QUALIFIED = 'NOT_QUALIFIED',
  LEVEL_CANNOT_RUN_TOT = 'LEVEL_CANNOT_RUN_TOT',
  NOT_COHORT_STAFF = 'NOT_COHORT_STAFF',
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  COURSE_NOT_AVAILABLE = 'COURSE_NOT_AVAILABLE',
  DATES_INVALID = 'DATES_INVALID',
  EXPIRY_INVALID = 'EXPIRY_INVALID',
  WRONG_STATE = 'WRONG_STATE',
  CAPACITY_BELOW_MEMBERS = 'CAPACITY_BELOW_MEMBERS',
  MEMBER_NOT_FOUND = 'MEMBER_NOT_FOUND',
  SESSION_NOT_FOUND = 'SESSION_NOT_FOUND',
  SESSION_IN_FUTURE = 'SESSION_IN_FUTURE',
  SESSION_OUTSIDE_COHORT = 'SESSION_OUTSIDE_COHORT',
  ATTENDANCE_INVALID = 'ATTENDANCE_INVALID',
  JOIN_CODE_INVALID = 'JOIN_CODE_INVALID',
  TRANSFER_INVALID = 'TRANSFER_INVALID',
  STAFF_INVALID = 'STAFF_INVALID',
  PRACTICUM_INVALID = 'PRACTICUM_INVALID',
  ROSTER_MALFORMED = 'ROSTER_MALFORMED',
  ROSTER_EMPTY = 'ROSTER_EMPTY',
  ROSTER_TOO_LARGE = 'ROSTER_TOO_LARGE',
  CSV_NOT_UTF8 = 'CSV_NOT_UTF8',
  CSV_MISSING_COLUMNS = 'CSV_MISSING_COLUMNS',
}

const DEFINITIONS: Record<CohortExceptionCode, DomainErrorDefinition> = {
  COHORT_NOT_FOUND: { kind: 'not_found', message: { vi: 'Không tìm thấy lớp học.', en: 'Cohort not found.' } },
  TRAINER_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy giảng viên.', en: 'Trainer not found.' },
  },
  QUALIFICATION_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy chứng nhận giảng viên.', en: 'Trainer qualification not found.' },
  },
  NOT_QUALIFIED: {
    kind: 'forbidden',
    message: {
      vi: 'Giảng viên chưa có (hoặc không còn) chứng nhận giảng viên hợp lệ để mở lớp mới.',
      en: 'The trainer does not hold a valid trainer qualification to open a new cohort.',
    },
  },
  LEVEL_CANNOT_RUN_TOT: {
    kind: 'forbidden',
    message: {
      vi: 'Chỉ giảng viên cấp tỉnh (master) hoặc giảng viên nguồn (core) mới mở được lớp đào tạo giảng viên (ToT).',
      en: 'Only master or core trainers may open a training-of-trainers (ToT) cohort.',
    },
  },
  NOT_COHORT_STAFF: {
    kind: 'forbidden',
    message: {
      vi: 'Chỉ giảng viên phụ trách lớp (hoặc quản trị đơn vị) mới thực hiện được thao tác này.',
      en: "Only the cohort's trainer (or an admin of its unit) may do this.",
    },
  },
  OUT_OF_SCOPE: {
    kind: 'forbidden',
    message: {
      vi: 'Đơn vị này nằm ngoài phạm vi quản lý của bạn.',
      en: 'This unit is outside the part of the organisation you manage.',
    },
  },
  COURSE_NOT_AVAILABLE: {
    kind: 'unprocessable',
    message: {
      vi: 'Khóa học không tồn tại hoặc chưa được xuất bản.',
      en: 'The course does not exist or is not published.',
    },
  },
  DATES_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.',
      en: 'The end date must be on or after the start date.',
    },
  },
  EXPIRY_INVALID: {
    kind: 'invalid',
    message: { vi: 'Ngày hết hạn phải sau hôm nay.', en: 'The expiry date must be after today.' },
  },
  WRONG_STATE: {
    kind: 'conflict',
    message: {
      vi: 'Lớp học đang ở trạng thái không cho phép thao tác này.',
      en: 'The cohort is in a state that does not allow this.',
    },
  },
  CAPACITY_BELOW_MEMBERS: {
    kind: 'conflict',
    message: {
      vi: 'Sĩ số tối đa không được nhỏ hơn số học viên chính thức hiện có.',
      en: 'The capacity cannot be lower than the number of active members.',
    },
  },
  MEMBER_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Người này không phải học viên của lớp.', en: 'This person is not a member of the cohort.' },
  },
  SESSION_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy buổi học.', en: 'Session not found.' },
  },
  SESSION_IN_FUTURE: {
    kind: 'unprocessable',
    message: {
      vi: 'Chưa thể điểm danh buổi học chưa diễn ra.',
      en: 'Attendance cannot be recorded for a session that has not started.',
    },
  },
  SESSION_OUTSIDE_COHORT: {
    kind: 'unprocessable',
    message: {
      vi: 'Buổi học phải nằm trong khoảng ngày bắt đầu – ngày kết thúc của lớp.',
      en: "The session must fall between the cohort's start and end dates.",
    },
  },
  ATTENDANCE_INVALID: {
    kind: 'unprocessable',
    message: {
      vi: 'Bản ghi điểm danh không hợp lệ; không bản ghi nào được lưu.',
      en: 'An attendance record is not valid; nothing was saved.',
    },
  },
  JOIN_CODE_INVALID: {
    kind: 'not_found',
    message: {
      vi: 'Mã tham gia không đúng hoặc lớp không còn nhận đăng ký.',
      en: 'The join code is wrong or the cohort no longer takes sign-ups.',
    },
  },
  TRANSFER_INVALID: {
    kind: 'unprocessable',
    message: {
      vi: 'Không thể chuyển sang lớp này (cùng lớp, lớp đã kết thúc, hoặc người này đã ở lớp đó).',
      en: 'Cannot transfer to this cohort (same cohort, no longer open, or the person is already in it).',
    },
  },
  STAFF_INVALID: {
    kind: 'unprocessable',
    message: {
      vi: 'Đồng giảng viên phải có chứng nhận giảng viên hợp lệ; trợ giảng phải là tài khoản đang hoạt động.',
      en: 'A co-trainer needs a valid trainer qualification; an assistant needs an active account.',
    },
  },
  PRACTICUM_INVALID: {
    kind: 'unprocessable',
    message: {
      vi: 'Thực tập không hợp lệ: học viên phải tự dạy một lớp (đã có buổi học được điểm danh) gắn với lớp ToT này.',
      en: 'Practicum not valid: the trainee must teach a cohort of their own (with attendance recorded) linked to this ToT cohort.',
    },
  },
  ROSTER_MALFORMED: {
    kind: 'invalid',
    message: {
      vi: 'Danh sách phải có dạng { "members": [ … ] } hoặc là tệp CSV.',
      en: 'The roster must look like { "members": [ … ] } or be a CSV file.',
    },
  },
  ROSTER_EMPTY: {
    kind: 'invalid',
    message: { vi: 'Danh sách không có dòng nào.', en: 'The roster has no rows.' },
  },
  ROSTER_TOO_LARGE: {
    kind: 'invalid',
    message: { vi: 'Mỗi lần gửi tối đa 2.000 người.', en: 'At most 2,000 people per request.' },
  },
  CSV_NOT_UTF8: { kind: 'unprocessable', message: UPLOAD_MESSAGES.csvNotUtf8 },
  CSV_MISSING_COLUMNS: {
    kind: 'unprocessable',
    message: {
      vi: 'Tệp CSV thiếu cột bắt buộc (Họ và tên; Email hoặc Số điện thoại).',
      en: 'The CSV file lacks a required column (full name; e-mail or phone).',
    },
  },
};

export class CohortException extends DomainException<CohortExceptionCode> {
  readonly definitions = DEFINITIONS;
}

/** Why one roster row was not added; returned per row, in the caller's language. */
export enum RosterRowCode {
  NAME_REQUIRED = 'NAME_REQUIRED',
  CONTACT_REQUIRED = 'CONTACT_REQUIRED',
  EMAIL_INVALID = 'EMAIL_INVALID',
  PHONE_INVALID = 'PHONE_INVALID',
  TEXT_TOO_LONG = 'TEXT_TOO_LONG',
  FIELD_TYPE_INVALID = 'FIELD_TYPE_INVALID',
  DUPLICATE_IN_ROSTER = 'DUPLICATE_IN_ROSTER',
  ORG_UNIT_UNKNOWN = 'ORG_UNIT_UNKNOWN',
  CONTACTS_MATCH_DIFFERENT_ACCOUNTS = 'CONTACTS_MATCH_DIFFERENT_ACCOUNTS',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  ALREADY_MEMBER = 'ALREADY_MEMBER',
}

export const ROSTER_ROW_MESSAGES: Record<RosterRowCode, LocalizedText> = {
  NAME_REQUIRED: { vi: 'Thiếu họ và tên.', en: 'The full name is missing.' },
  CONTACT_REQUIRED: {
    vi: 'Cần email hoặc số điện thoại (không ghép tài khoản chỉ dựa vào họ tên).',
    en: 'An e-mail or phone number is needed (accounts are never matched on name alone).',
  },
  EMAIL_INVALID: { vi: 'Email không hợp lệ.', en: 'The e-mail address is not valid.' },
  PHONE_INVALID: {
    vi: 'Số điện thoại di động Việt Nam không hợp lệ.',
    en: 'Not a valid Vietnamese mobile number.',
  },
  TEXT_TOO_LONG: UPLOAD_MESSAGES.textTooLong,
  FIELD_TYPE_INVALID: UPLOAD_MESSAGES.fieldTypeInvalid,
  DUPLICATE_IN_ROSTER: {
    vi: 'Trùng email hoặc số điện thoại với một dòng trước trong cùng danh sách.',
    en: 'Same e-mail or phone as an earlier row of this roster.',
  },
  ORG_UNIT_UNKNOWN: { vi: 'Không có đơn vị với mã này.', en: 'No unit has this code.' },
  CONTACTS_MATCH_DIFFERENT_ACCOUNTS: {
    vi: 'Email và số điện thoại thuộc về hai tài khoản khác nhau; hãy kiểm tra lại.',
    en: 'The e-mail and the phone belong to two different accounts; please check.',
  },
  ACCOUNT_DISABLED: { vi: 'Tài khoản này đã bị khóa.', en: 'This account is disabled.' },
  ALREADY_MEMBER: { vi: 'Người này đã có trong lớp.', en: 'This person is already in the cohort.' },
};
