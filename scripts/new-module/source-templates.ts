// The src/modules/<name>/ files of a generated module, as docs/adding-a-module.md lays them out. Each
// template returns the file's text; the generator formats them with Prettier afterwards.
import { dtoFiles } from './dto-templates.js';
import type { ModuleNames } from './names.js';

export type Files = Record<string, string>;

export function sourceFiles(n: ModuleNames): Files {
  const dir = `src/modules/${n.kebab}`;
  return {
    [`${dir}/index.ts`]: index(n),
    [`${dir}/${n.kebab}.module.ts`]: moduleFile(n),
    [`${dir}/${n.kebab}.controller.ts`]: controller(n),
    [`${dir}/${n.kebab}.service.ts`]: service(n),
    [`${dir}/${n.kebab}.repository.ts`]: repository(n),
    [`${dir}/${n.singularKebab}.entity.ts`]: entity(n),
    [`${dir}/${n.singularKebab}.policy.ts`]: policy(n),
    [`${dir}/${n.kebab}.mapper.ts`]: mapper(n),
    [`${dir}/${n.kebab}.errors.ts`]: errors(n),
    [`${dir}/${n.kebab}.events.ts`]: events(n),
    ...dtoFiles(n),
  };
}

const index = (n: ModuleNames) => `export { ${n.Plural}Module } from './${n.kebab}.module.js';
export { ${n.Plural}Service } from './${n.kebab}.service.js';
export {
  ${n.CONSTANT}_CREATED,
  ${n.CONSTANT}_DELETED,
  type ${n.Singular}CreatedEvent,
  type ${n.Singular}DeletedEvent,
} from './${n.kebab}.events.js';
`;

const moduleFile = (n: ModuleNames) => `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ${n.Singular}Entity } from './${n.singularKebab}.entity.js';
import { ${n.Plural}Controller } from './${n.kebab}.controller.js';
import { ${n.Plural}Repository } from './${n.kebab}.repository.js';
import { ${n.Plural}Service } from './${n.kebab}.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([${n.Singular}Entity])],
  controllers: [${n.Plural}Controller],
  providers: [${n.Plural}Service, ${n.Plural}Repository],
  exports: [${n.Plural}Service],
})
export class ${n.Plural}Module {}
`;

const controller = (
  n: ModuleNames,
) => `import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from '../../core/auth/auth.decorators.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { ErrorResponseDto } from '../../core/http/error-response.dto.js';
import { ID_PARAM_SCHEMA, ParseIdPipe } from '../../core/http/id-param.pipe.js';
import { Create${n.Singular}Dto } from './dto/create-${n.singularKebab}.dto.js';
import { List${n.Plural}Query } from './dto/list-${n.kebab}.query.js';
import { ${n.Plural}ListResponseDto, ${n.Singular}ResponseDto } from './dto/${n.singularKebab}-response.dto.js';
import { ${n.Plural}Service } from './${n.kebab}.service.js';

const NOT_FOUND = { description: 'No ${n.words} has this id', type: ErrorResponseDto };

// A versioned route: errors answer in problem+json (error-renderers.ts), not in the RealWorld shape.
@ApiTags('${n.kebab}')
@Controller('api/v1/${n.kebab}')
export class ${n.Plural}Controller {
  constructor(private readonly ${n.plural}: ${n.Plural}Service) {}

  /** ${cap(n.kebab.replaceAll('-', ' '))}, newest first, a page at a time. */
  @Get()
  @Public()
  @ApiOkResponse({ type: ${n.Plural}ListResponseDto })
  async list${n.Plural}(@Query() query: List${n.Plural}Query): Promise<${n.Plural}ListResponseDto> {
    return { ${n.plural}: await this.${n.plural}.list(query.limit ?? 20, query.offset ?? 0) };
  }

  /** Create a ${n.words}, owned by the caller. */
  @Post()
  @Authenticated()
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: ${n.Singular}ResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'The body is not valid', type: ErrorResponseDto })
  async create${n.Singular}(
    @CurrentUser() caller: AuthUser,
    @Body() body: Create${n.Singular}Dto,
  ): Promise<${n.Singular}ResponseDto> {
    return { ${n.singular}: await this.${n.plural}.create(caller, body.${n.singular}.name) };
  }

  /** One ${n.words} by id. */
  @Get(':id')
  @Public()
  @ApiParam({ name: 'id', schema: ID_PARAM_SCHEMA })
  @ApiOkResponse({ type: ${n.Singular}ResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async get${n.Singular}(@Param('id', ParseIdPipe) id: number): Promise<${n.Singular}ResponseDto> {
    return { ${n.singular}: await this.${n.plural}.get(id) };
  }

  /** Delete a ${n.words} (its owner only). */
  @Delete(':id')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', schema: ID_PARAM_SCHEMA })
  @ApiNoContentResponse({ description: 'Deleted; empty body' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiForbiddenResponse({ description: 'Only the owner may delete it', type: ErrorResponseDto })
  async delete${n.Singular}(@CurrentUser() caller: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.${n.plural}.delete(caller, id);
  }
}
`;

const service = (n: ModuleNames) => `import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AuthUser } from '../../core/auth/auth.types.js';
import type { ${n.Singular}Dto } from './dto/${n.singularKebab}-response.dto.js';
import { canDelete${n.Singular} } from './${n.singularKebab}.policy.js';
import { ${n.Singular}NotFoundError, Not${n.Singular}OwnerError } from './${n.kebab}.errors.js';
import { ${n.CONSTANT}_CREATED, ${n.CONSTANT}_DELETED, type ${n.Singular}CreatedEvent, type ${n.Singular}DeletedEvent } from './${n.kebab}.events.js';
import { to${n.Singular} } from './${n.kebab}.mapper.js';
import { ${n.Plural}Repository } from './${n.kebab}.repository.js';

@Injectable()
export class ${n.Plural}Service {
  constructor(
    private readonly ${n.plural}: ${n.Plural}Repository,
    private readonly events: EventEmitter2,
  ) {}

  async list(limit: number, offset: number): Promise<${n.Singular}Dto[]> {
    return (await this.${n.plural}.page(limit, offset)).map(to${n.Singular});
  }

  async get(id: number): Promise<${n.Singular}Dto> {
    const row = await this.${n.plural}.findById(id);
    if (!row) throw new ${n.Singular}NotFoundError();
    return to${n.Singular}(row);
  }

  async create(owner: AuthUser, name: string): Promise<${n.Singular}Dto> {
    const row = await this.${n.plural}.insert({ ownerId: owner.id, name });
    // Emitted after the row is committed: listeners react to a fact, they cannot undo it.
    this.events.emit(${n.CONSTANT}_CREATED, { id: row.id, ownerId: row.ownerId } satisfies ${n.Singular}CreatedEvent);
    return to${n.Singular}(row);
  }

  async delete(caller: AuthUser, id: number): Promise<void> {
    const row = await this.${n.plural}.findById(id);
    if (!row) throw new ${n.Singular}NotFoundError();
    if (!canDelete${n.Singular}(caller.id, row)) throw new Not${n.Singular}OwnerError();
    await this.${n.plural}.delete(row.id);
    this.events.emit(${n.CONSTANT}_DELETED, { id: row.id, ownerId: row.ownerId } satisfies ${n.Singular}DeletedEvent);
  }
}
`;

const repository = (n: ModuleNames) => `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ${n.Singular}Entity } from './${n.singularKebab}.entity.js';

@Injectable()
export class ${n.Plural}Repository {
  constructor(@InjectRepository(${n.Singular}Entity) private readonly ${n.plural}: Repository<${n.Singular}Entity>) {}

  /** Newest first; one query whatever the page size. */
  page(limit: number, offset: number): Promise<${n.Singular}Entity[]> {
    return this.${n.plural}.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip: offset });
  }

  findById(id: number): Promise<${n.Singular}Entity | null> {
    return this.${n.plural}.findOneBy({ id });
  }

  insert(fields: Pick<${n.Singular}Entity, 'ownerId' | 'name'>): Promise<${n.Singular}Entity> {
    return this.${n.plural}.save(this.${n.plural}.create(fields));
  }

  async delete(id: number): Promise<void> {
    await this.${n.plural}.delete({ id });
  }
}
`;

const entity = (
  n: ModuleNames,
) => `import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('${n.table}')
@Index('IDX_${n.table}_owner_created', ['ownerId', 'createdAt'])
export class ${n.Singular}Entity {
  /** Integer ids, as the other versioned resources' path parameters take them. */
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  /** A user id (identity module): stored as an id, no cross-module relation or foreign key (ADR 0005). */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
`;

const policy = (n: ModuleNames) => `import type { ${n.Singular}Entity } from './${n.singularKebab}.entity.js';

/** Only the owner may delete a ${n.words}. */
export function canDelete${n.Singular}(callerId: string, ${n.singular}: Pick<${n.Singular}Entity, 'ownerId'>): boolean {
  return ${n.singular}.ownerId === callerId;
}
`;

const mapper = (n: ModuleNames) => `import type { ${n.Singular}Dto } from './dto/${n.singularKebab}-response.dto.js';
import type { ${n.Singular}Entity } from './${n.singularKebab}.entity.js';

/** The fields of a ${n.words} that leave the module. */
export function to${n.Singular}(row: ${n.Singular}Entity): ${n.Singular}Dto {
  return { id: row.id, ownerId: row.ownerId, name: row.name, createdAt: row.createdAt };
}
`;

const errors = (n: ModuleNames) => `import { ForbiddenError, NotFoundError } from '../../core/http/app-error.js';

export class ${n.Singular}NotFoundError extends NotFoundError {
  constructor() {
    super('${n.CONSTANT}_NOT_FOUND', '${n.words} not found');
  }
}

export class Not${n.Singular}OwnerError extends ForbiddenError {
  constructor() {
    super('NOT_${n.CONSTANT}_OWNER', 'only the owner can delete this ${n.words}');
  }
}
`;

const events = (
  n: ModuleNames,
) => `/** Emitted after a ${n.words} is stored (not awaited: listeners cannot fail the request). */
export const ${n.CONSTANT}_CREATED = '${n.kebab}.${n.singularKebab}.created';

export interface ${n.Singular}CreatedEvent {
  id: number;
  ownerId: string;
}

/** Emitted after a ${n.words} is deleted. */
export const ${n.CONSTANT}_DELETED = '${n.kebab}.${n.singularKebab}.deleted';

export interface ${n.Singular}DeletedEvent {
  id: number;
  ownerId: string;
}
`;

function cap(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
