export type Lang = 'vi' | 'en';

const vi = {
  signinIntro: 'Đăng nhập để lưu tiến độ học và nộp bài kiểm tra. Bạn vẫn đọc được bài học mà không cần đăng nhập.',
  identifier: 'Email hoặc số điện thoại',
  password: 'Mật khẩu',
  signin: 'Đăng nhập',
  signingIn: 'Đang đăng nhập…',
  signinFailed: 'Đăng nhập không thành công. Vui lòng thử lại.',
  fillBoth: 'Vui lòng nhập email hoặc số điện thoại và mật khẩu.',
  signedIn: 'Bạn đã đăng nhập — tiến độ học được lưu tự động.',
  signout: 'Đăng xuất',
  offline: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
  quizSignin: 'Đăng nhập để nộp bài và lưu kết quả.',
  quizMissing: (q: string) => `Bạn chưa trả lời câu hỏi: “${q}”.`,
  grading: 'Đang chấm bài…',
  score: (pct: number) => `Điểm: ${pct}%`,
  passed: 'Đạt',
  failed: 'Chưa đạt',
  passMark: (pct: number) => `cần ${pct}% để đạt`,
  question: (n: number) => `Câu ${n}`,
  correct: 'Đúng',
  incorrect: 'Sai',
  courseCompleted: 'Chúc mừng! Bạn đã hoàn thành khóa học.',
  moveUp: (item: string) => `Chuyển lên: ${item}`,
  moveDown: (item: string) => `Chuyển xuống: ${item}`,
  moved: (item: string, pos: number, total: number) => `“${item}” ở vị trí ${pos} trên ${total}.`,
  saving: 'Đang lưu…',
  completed: 'Đã học xong ✓',
  completedQueued: 'Đã ghi nhận — sẽ gửi khi có mạng.',
  completeFailed: 'Chưa lưu được. Vui lòng thử lại.',
};

const en: typeof vi = {
  signinIntro: 'Sign in to save your progress and submit quizzes. You can read the lesson without signing in.',
  identifier: 'E-mail or phone number',
  password: 'Password',
  signin: 'Sign in',
  signingIn: 'Signing in…',
  signinFailed: 'Sign-in failed. Please try again.',
  fillBoth: 'Please enter your e-mail or phone number and your password.',
  signedIn: 'You are signed in — your progress is saved automatically.',
  signout: 'Sign out',
  offline: 'Could not reach the server. Please check your connection and try again.',
  quizSignin: 'Sign in to submit the quiz and keep your result.',
  quizMissing: (q: string) => `You have not answered: “${q}”.`,
  grading: 'Grading…',
  score: (pct: number) => `Score: ${pct}%`,
  passed: 'Passed',
  failed: 'Not passed yet',
  passMark: (pct: number) => `${pct}% needed to pass`,
  question: (n: number) => `Question ${n}`,
  correct: 'Correct',
  incorrect: 'Incorrect',
  courseCompleted: 'Congratulations! You have completed the course.',
  moveUp: (item: string) => `Move up: ${item}`,
  moveDown: (item: string) => `Move down: ${item}`,
  moved: (item: string, pos: number, total: number) => `“${item}” is now ${pos} of ${total}.`,
  saving: 'Saving…',
  completed: 'Completed ✓',
  completedQueued: 'Recorded — it will be sent when you are back online.',
  completeFailed: 'Could not save it. Please try again.',
};

export type Strings = typeof vi;

export function strings(lang: Lang): Strings {
  return lang === 'en' ? en : vi;
}
