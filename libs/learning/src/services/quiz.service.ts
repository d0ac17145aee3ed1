import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { UserActor } from '@hocso/common';
import { correctOrder, optionId, orderingItemId, type Question } from '@hocso/courses';
import { DataSource } from 'typeorm';
import { type GradedQuestion, QuizAttemptEntity } from '../entities/quiz-attempt.entity';
import { LearningException, LearningExceptionCode } from '../learning.exception';
import { CompletionService } from './completion.service';
import { CourseContentReader, type VersionQuiz } from './course-content.reader';
import { EnrollmentsService } from './enrollments.service';
import { LearningEventBus } from './learning-events';
import { lockUser } from './user-lock';
import { XapiBuilder } from './xapi.builder';

export interface AnswerInput {
  questionId: string;
  optionIds: string[];
}

export interface AttemptResult {
  attemptId: string;
  attemptNumber: number;
  score: number;
  passed: boolean;
  passMark: number;
  courseCompleted: boolean;
  questions: Array<{ questionId: string; correct: boolean; explanation: string }>;
}

/** Ids a learner may answer a question with (what the lesson endpoint shows). */
function answerIds(q: Question): string[] {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return q.options.map((_, i) => optionId(i));
    case 'truefalse':
      return ['true', 'false'];
    case 'ordering':
      return q.items.map((text) => orderingItemId(q.id, text));
  }
}

function isCorrect(q: Question, chosen: string[]): boolean {
  switch (q.type) {
    case 'single':
    case 'multiple': {
      const right = q.options.flatMap((o, i) => (o.correct ? [optionId(i)] : []));
      return chosen.length === right.length && right.every((id) => chosen.includes(id));
    }
    case 'truefalse':
      return chosen.length === 1 && chosen[0] === String(q.answer);
    case 'ordering': {
      const order = correctOrder(q);
      return chosen.length === order.length && order.every((id, i) => chosen[i] === id);
    }
  }
}

/**
 * Server-side grading. Answer keys stay on the server until an attempt: the response then says,
 * per question, whether it was right, with its explanation. Limits per quiz (maxAttempts,
 * cooldownMinutes in the quiz block) default to unlimited attempts and no cooldown.
 */
@Injectable()
export class QuizService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly content: CourseContentReader,
    private readonly enrollments: EnrollmentsService,
    private readonly completion: CompletionService,
    private readonly xapi: XapiBuilder,
    private readonly bus: LearningEventBus,
  ) {}

  async attempt(actor: UserActor, courseSlug: string, quizId: string, answers: AnswerInput[]): Promise<AttemptResult> {
    const [course] = await this.content.coursesBySlugs([courseSlug]);
    const result = await this.dataSource.transaction(async (em) => {
      await lockUser(em, actor.userId);
      const [enrollment] = course ? await this.enrollments.liveFor(em, actor.userId, [course.id]) : [];
      if (!enrollment) throw new LearningException(LearningExceptionCode.NOT_ENROLLED, { field: 'courseSlug' });
      const structure = await this.content.structure(enrollment.versionId, em);
      const quiz = structure.quizzes.get(quizId);
      if (!quiz) throw new LearningException(LearningExceptionCode.QUIZ_NOT_FOUND, { field: 'quizId' });
      this.validate(quiz, answers);

      const previous: Array<{ n: number; last: Date | null }> = await em.query(
        `SELECT count(*)::int AS n, max(created_at) AS last FROM quiz_attempt WHERE enrollment_id = $1 AND quiz_id = $2`,
        [enrollment.id, quizId],
      );
      const { n, last } = previous[0];
      if (quiz.block.maxAttempts && n >= quiz.block.maxAttempts) {
        throw new LearningException(LearningExceptionCode.ATTEMPT_LIMIT_REACHED);
      }
      if (quiz.block.cooldownMinutes && last) {
        const waitMs = new Date(last).getTime() + quiz.block.cooldownMinutes * 60_000 - Date.now();
        if (waitMs > 0) {
          throw new LearningException(LearningExceptionCode.ATTEMPT_COOLDOWN, {
            retryAfterSeconds: Math.ceil(waitMs / 1000),
          });
        }
      }

      const byQuestion = new Map(answers.map((a) => [a.questionId, a.optionIds]));
      const graded: GradedQuestion[] = quiz.block.questions.map((q) => ({
        questionId: q.id,
        correct: isCorrect(q, byQuestion.get(q.id) ?? []),
      }));
      const right = graded.filter((g) => g.correct).length;
      const score = quiz.block.questions.length ? right / quiz.block.questions.length : 0;
      const passed = score + 1e-9 >= quiz.block.passMark;
      const attempt = await em.save(
        em.create(QuizAttemptEntity, {
          enrollmentId: enrollment.id,
          userId: actor.userId,
          quizId,
          attemptNumber: n + 1,
          answers,
          graded,
          score,
          passed,
        }),
      );
      await this.xapi.store(em, [
        this.xapi.build({
          userId: actor.userId,
          verb: passed ? 'passed' : 'failed',
          object: { kind: 'assessment', courseSlug: structure.courseSlug, quizId },
          timestamp: attempt.createdAt,
          registration: enrollment.id,
          result: {
            score: { scaled: score, raw: right, min: 0, max: quiz.block.questions.length },
            success: passed,
            completion: true,
          },
        }),
      ]);
      const courseCompleted = passed && (await this.completion.evaluate(em, enrollment, structure));
      return {
        attemptId: attempt.id,
        attemptNumber: attempt.attemptNumber,
        score,
        passed,
        passMark: quiz.block.passMark,
        courseCompleted,
        questions: quiz.block.questions.map((q, i) => ({
          questionId: q.id,
          correct: graded[i].correct,
          explanation: q.explanation,
        })),
      };
    });
    if (result.courseCompleted) this.bus.deliverSoon();
    return result;
  }

  /** Unknown questions or options, duplicates, or the wrong number of choices are client errors. */
  private validate(quiz: VersionQuiz, answers: AnswerInput[]): void {
    const questions = new Map(quiz.block.questions.map((q) => [q.id, q]));
    const seen = new Set<string>();
    answers.forEach((a, i) => {
      const q = questions.get(a.questionId);
      if (!q || seen.has(a.questionId)) {
        throw new LearningException(LearningExceptionCode.ANSWER_INVALID, { field: `answers[${i}].questionId` });
      }
      seen.add(a.questionId);
      const allowed = answerIds(q);
      const unique = new Set(a.optionIds);
      const countOk =
        q.type === 'single' || q.type === 'truefalse'
          ? a.optionIds.length === 1
          : q.type === 'ordering'
            ? a.optionIds.length === allowed.length
            : a.optionIds.length >= 1;
      if (!countOk || unique.size !== a.optionIds.length || a.optionIds.some((id) => !allowed.includes(id))) {
        throw new LearningException(LearningExceptionCode.ANSWER_INVALID, { field: `answers[${i}].optionIds` });
      }
    });
  }
}
