// The dto/ files of a generated module: the enveloped create body, the responses and the page query, in the
// forms the @nestjs/swagger CLI plugin documents (JSDoc summaries and examples, integers typed explicitly).
import type { ModuleNames } from './names.js';
import type { Files } from './source-templates.js';

export function dtoFiles(n: ModuleNames): Files {
  const dir = `src/modules/${n.kebab}/dto`;
  return {
    [`${dir}/create-${n.singularKebab}.dto.ts`]: createDto(n),
    [`${dir}/${n.singularKebab}-response.dto.ts`]: responseDto(n),
    [`${dir}/list-${n.kebab}.query.ts`]: listQuery(n),
  };
}

const createDto = (n: ModuleNames) => `import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { BodyEnvelope } from '../../../core/http/body-envelope.decorator.js';
import { Trim } from '../../../core/http/transforms.js';

export class New${n.Singular}Dto {
  /**
   * What the ${n.words} is called.
   * @example "My first ${n.words}"
   */
  @IsString()
  @Trim()
  @IsNotEmpty({ message: "name can't be blank" })
  @MaxLength(200)
  name: string;
}

export class Create${n.Singular}Dto {
  @BodyEnvelope('${n.singular}', () => New${n.Singular}Dto)
  ${n.singular}: New${n.Singular}Dto;
}
`;

const responseDto = (n: ModuleNames) => `import { ApiProperty } from '@nestjs/swagger';

export class ${n.Singular}Dto {
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;
  /** The user who created it. */
  @ApiProperty({ format: 'uuid' })
  ownerId: string;
  name: string;
  createdAt: Date;
}

export class ${n.Singular}ResponseDto {
  ${n.singular}: ${n.Singular}Dto;
}

export class ${n.Plural}ListResponseDto {
  ${n.plural}: ${n.Singular}Dto[];
}
`;

const listQuery = (n: ModuleNames) => `import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** PostgreSQL's int4 range: an offset beyond it is a client bug, not a page. */
const MAX_OFFSET = 2_147_483_647;

export class List${n.Plural}Query {
  /** Page size, 1 to 100. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** Number of ${n.kebab.replaceAll('-', ' ')} to skip. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}
`;
