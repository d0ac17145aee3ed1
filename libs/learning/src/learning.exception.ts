import { type DomainErrorDefinition, DomainException } from '@hocso/common';

export enum LearningExceptionCode {
  COURSE_NOT_AVAILABLE = 'COURSE_NOT_AVAILABLE',
  ENROLLMENT_NOT_FOUND = 'ENROLLMENT_NOT_FOUND',
  NOT_ENROLLED = 'NOT_ENROLLED',
  QUIZ_NOT_FOUND = 'QUIZ_NOT_FOUND',
  ANSWER_INVALID = 'ANSWER_INVALID',
  ATTEMPT_LIMIT_REACHED = 'ATTEMPT_LIMIT_REACHED',
  ATTEMPT_COOLDOWN = 'ATTEMPT_COOLDOWN',
  BATCH_TOO_LARGE = 'BATCH_TOO_LARGE',
}

const DEFINITIONS: Record<LearningExceptionCode, DomainErrorDefinition> = {
  COURSE_NOT_AVAILABLE: {
    kind: 'not_found',
    message: {
      vi: 'Khóa học không tồn tại hoặc chưa được xuất bản.',
      en: 'The course does not exist or is not published.',
    },
  },
  ENROLLMENT_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy lượt đăng ký học.', en: 'Enrollment not found.' },
  },
  NOT_ENROLLED: {
    kind: 'unprocessable',
    message: { vi: 'Bạn chưa đăng ký khóa học này.', en: 'You are not enrolled in this course.' },
  },
  QUIZ_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy bài kiểm tra trong khóa học của bạn.', en: 'Quiz not found in your course.' },
  },
  ANSWER_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Câu trả lời không hợp lệ: câu hỏi hoặc lựa chọn không thuộc bài kiểm tra này.',
      en: 'Invalid answer: the question or option is not part of this quiz.',
    },
  },
  ATTEMPT_LIMIT_REACHED: {
    kind: 'conflict',
    message: { vi: 'Bạn đã dùng hết số lần làm bài cho phép.', en: 'You have used all the attempts allowed.' },
  },
  ATTEMPT_COOLDOWN: {
    kind: 'rate_limited',
    message: { vi: 'Vui lòng đợi trước khi làm lại bài kiểm tra.', en: 'Please wait before trying the quiz again.' },
  },
  BATCH_TOO_LARGE: {
    kind: 'invalid',
    message: { vi: 'Mỗi lần gửi tối đa 500 sự kiện.', en: 'At most 500 events per batch.' },
  },
};

export class LearningException extends DomainException<LearningExceptionCode> {
  readonly definitions = DEFINITIONS;
}
