import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompetencyEntity } from './entities/competency.entity';
import { CompetencyFrameworkEntity } from './entities/competency-framework.entity';
import { CourseEntity } from './entities/course.entity';
import { CourseBlockEntity } from './entities/course-block.entity';
import { CourseLessonEntity } from './entities/course-lesson.entity';
import { CourseModuleEntity } from './entities/course-module.entity';
import { CourseVersionEntity } from './entities/course-version.entity';
import { CatalogueService } from './services/catalogue.service';
import { CourseAuthoringService } from './services/course-authoring.service';
import { CourseImportService } from './services/course-import.service';
import { CoursePublisher } from './services/course-publisher.service';
import { FrameworksService } from './services/frameworks.service';

const services = [CatalogueService, CourseAuthoringService, CourseImportService, CoursePublisher, FrameworksService];

@Module({
  imports: [
    TypeOrmModule.forFeature([
      CompetencyFrameworkEntity,
      CompetencyEntity,
      CourseEntity,
      CourseVersionEntity,
      CourseModuleEntity,
      CourseLessonEntity,
      CourseBlockEntity,
    ]),
  ],
  providers: services,
  exports: services,
})
export class CoursesModule {}
