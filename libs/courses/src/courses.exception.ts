import { type DomainErrorDefinition, DomainException } from '@hocso/common';

export enum CoursesExceptionCode {
  COURSE_NOT_FOUND = 'COURSE_NOT_FOUND',
  LESSON_NOT_FOUND = 'LESSON_NOT_FOUND',
  VERSION_NOT_FOUND = 'VERSION_NOT_FOUND',
  PACKAGE_INVALID = 'PACKAGE_INVALID',
  SLUG_MISMATCH = 'SLUG_MISMATCH',
  COURSE_SLUG_TAKEN = 'COURSE_SLUG_TAKEN',
  NOTHING_TO_PUBLISH = 'NOTHING_TO_PUBLISH',
  NOT_A_CONTENT_EDITOR = 'NOT_A_CONTENT_EDITOR',
  NO_FRAMEWORKS = 'NO_FRAMEWORKS',
  CONTENT_DIR_NOT_FOUND = 'CONTENT_DIR_NOT_FOUND',
}

const DEFINITIONS: Record<CoursesExceptionCode, DomainErrorDefinition> = {
  COURSE_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy khóa học.', en: 'Course not found.' },
  },
  LESSON_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy bài học trong khóa học này.', en: 'Lesson not found in this course.' },
  },
  VERSION_NOT_FOUND: {
    kind: 'not_found',
    message: { vi: 'Không tìm thấy phiên bản khóa học.', en: 'Course version not found.' },
  },
  PACKAGE_INVALID: {
    kind: 'invalid',
    message: {
      vi: 'Nội dung khóa học chưa hợp lệ; xem danh sách lỗi theo từng trường.',
      en: 'The course content is not valid; see the list of errors per field.',
    },
  },
  SLUG_MISMATCH: {
    kind: 'invalid',
    message: {
      vi: 'slug trong nội dung phải trùng với slug trên địa chỉ; không đổi được slug của khóa học đã tạo.',
      en: 'The slug in the body must equal the slug in the path; a course slug cannot be changed.',
    },
  },
  COURSE_SLUG_TAKEN: {
    kind: 'conflict',
    message: {
      vi: 'Đã có khóa học dùng slug này; hãy chọn slug khác hoặc sửa khóa học đó (PUT).',
      en: 'A course with this slug already exists; choose another slug or update that course (PUT).',
    },
  },
  NOTHING_TO_PUBLISH: {
    kind: 'conflict',
    message: {
      vi: 'Khóa học không có bản nháp nào để xuất bản.',
      en: 'The course has no draft to publish.',
    },
  },
  NOT_A_CONTENT_EDITOR: {
    kind: 'forbidden',
    message: {
      vi: 'Chỉ biên tập viên nội dung hoặc quản trị viên tỉnh được soạn và xuất bản khóa học.',
      en: 'Only content editors and province admins may author and publish courses.',
    },
  },
  NO_FRAMEWORKS: {
    kind: 'unavailable',
    message: {
      vi: 'Chưa nạp khung năng lực nào; hãy chạy npm run content:import.',
      en: 'No competency framework is loaded yet; run npm run content:import.',
    },
  },
  CONTENT_DIR_NOT_FOUND: {
    kind: 'unprocessable',
    message: {
      vi: 'Không tìm thấy thư mục nội dung (cần có frameworks/ và courses/).',
      en: 'The content folder was not found (it needs frameworks/ and courses/).',
    },
  },
};

export class CoursesException extends DomainException<CoursesExceptionCode> {
  readonly definitions = DEFINITIONS;
}
