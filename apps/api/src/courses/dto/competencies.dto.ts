import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { LocalizedText } from '@hocso/common';
import type { CompetencyNode, FrameworkTree } from '@hocso/courses';
import { LocalizedTextDto } from './catalogue.dto';

export class ListCompetenciesQueryDto {
  @ApiPropertyOptional({ description: 'Only this framework', example: 'TT02' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9-]{0,39}$/)
  framework?: string;
}

export class CompetencyLevelDto {
  @ApiProperty({ example: 'CB2' }) code: string;
  @ApiProperty({ description: 'Bậc 1…8 (TT02), 1…3 (UNESCO)' }) step: number;
  @ApiProperty({ type: LocalizedTextDto }) name: LocalizedText;
}

export class CompetencyDto {
  @ApiProperty({ example: 'TT02:2.3', description: 'What courses and lessons carry' }) code: string;
  @ApiProperty({ example: '2.3' }) localCode: string;
  @ApiProperty({ type: LocalizedTextDto }) name: LocalizedText;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'As written in the framework file, e.g. { "digcomp": "2.3" } or a TT02 crosswalk',
  })
  attributes: Record<string, unknown>;
}

export class CompetencyDomainDto extends CompetencyDto {
  @ApiProperty({ type: [CompetencyDto] }) competencies: CompetencyDto[];
}

export class CompetencyFrameworkDto {
  @ApiProperty({ example: 'TT02' }) code: string;
  @ApiProperty({ example: '2025' }) version: string;
  @ApiProperty({ type: LocalizedTextDto }) name: LocalizedText;
  @ApiPropertyOptional({ nullable: true }) source: string | null;
  @ApiProperty({ type: [CompetencyLevelDto] }) levels: CompetencyLevelDto[];
  @ApiProperty({ type: [CompetencyDomainDto] }) domains: CompetencyDomainDto[];
}

export class CompetencyFrameworkListDto {
  @ApiProperty({ type: [CompetencyFrameworkDto] }) items: CompetencyFrameworkDto[];
}

const node = (c: CompetencyNode): CompetencyDto => ({
  code: c.code,
  localCode: c.localCode,
  name: { vi: c.name.vi, en: c.name.en },
  attributes: c.attributes,
});

export function mapFrameworks(trees: FrameworkTree[], only?: string): CompetencyFrameworkListDto {
  return {
    items: trees
      .filter((t) => !only || t.code === only)
      .map((t) => ({
        code: t.code,
        version: t.version,
        name: { vi: t.name.vi, en: t.name.en },
        source: t.source,
        levels: t.levels.map((l) => ({ code: l.code, step: l.step, name: { vi: l.name.vi, en: l.name.en } })),
        domains: t.domains.map((d) => ({ ...node(d), competencies: d.competencies.map(node) })),
      })),
  };
}
