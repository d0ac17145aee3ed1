import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CoursesModule } from '@hocso/courses';
import { IdentityModule } from '@hocso/identity';
import { EnrollmentEntity } from './entities/enrollment.entity';
import { LearningEventEntity } from './entities/learning-event.entity';
import { LearningMinutesDailyEntity } from './entities/learning-minutes.entity';
import { LessonProgressEntity } from './entities/lesson-progress.entity';
import { ProgressEventEntity } from './entities/progress-event.entity';
import { QuizAttemptEntity } from './entities/quiz-attempt.entity';
import { XapiStatementEntity } from './entities/xapi-statement.entity';
import { CompletionService } from './services/completion.service';
import { CourseContentReader } from './services/course-content.reader';
import { EnrollmentsService } from './services/enrollments.service';
import { LearningDataService } from './services/learning-data.service';
import { LearningEventBus } from './services/learning-events';
import { LearningMinutesService } from './services/learning-minutes.service';
import { ProgressService } from './services/progress.service';
import { QuizService } from './services/quiz.service';
import { XapiBuilder } from './services/xapi.builder';

const services = [
  CompletionService,
  CourseContentReader,
  EnrollmentsService,
  LearningDataService,
  LearningEventBus,
  LearningMinutesService,
  ProgressService,
  QuizService,
  XapiBuilder,
];

@Module({
  imports: [
    IdentityModule,
    CoursesModule,
    TypeOrmModule.forFeature([
      EnrollmentEntity,
      LearningEventEntity,
      LearningMinutesDailyEntity,
      LessonProgressEntity,
      ProgressEventEntity,
      QuizAttemptEntity,
      XapiStatementEntity,
    ]),
  ],
  providers: services,
  exports: services,
})
export class LearningModule {}
