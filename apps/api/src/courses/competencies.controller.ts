import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FrameworksService } from '@hocso/courses';
import { Public } from '../http/auth/auth.decorators';
import { Cacheable } from '../http/etag.interceptor';
import { CompetencyFrameworkListDto, ListCompetenciesQueryDto, mapFrameworks } from './dto/competencies.dto';

@ApiTags('courses')
@Controller('v1/competencies')
export class CompetenciesController {
  constructor(private readonly frameworks: FrameworksService) {}

  @Get()
  @Public()
  @Cacheable({ maxAge: 3600, staleWhileRevalidate: 86400 })
  @ApiOperation({
    summary: 'Competency frameworks as trees (TT02/2025: 6 domains, 24 competencies, 8 levels; UNESCO AI CFS)',
  })
  @ApiOkResponse({ type: CompetencyFrameworkListDto })
  list(@Query() query: ListCompetenciesQueryDto): Promise<CompetencyFrameworkListDto> {
    return this.frameworks.list().then((trees) => mapFrameworks(trees, query.framework));
  }
}
