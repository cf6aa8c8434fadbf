// The tests and the migration of a generated module. The migration is the SQL TypeORM itself would generate
// for the entity of source-templates.ts (names included), so the schema check stays clean without a
// development database to diff against.
import { contractFile } from './contract-template.js';
import { primaryKeyName, type ModuleNames } from './names.js';
import type { Files } from './source-templates.js';

export function testFiles(n: ModuleNames): Files {
  return {
    [`src/modules/${n.kebab}/${n.singularKebab}.policy.spec.ts`]: policySpec(n),
    [`test/e2e/${n.kebab}/${n.kebab}.e2e-spec.ts`]: e2eSpec(n),
    ...contractFile(n),
  };
}

export function migrationFile(n: ModuleNames, timestamp: number): Files {
  const className = `${n.Plural}${timestamp}`;
  const pk = primaryKeyName(n.table, ['id']);
  const index = `IDX_${n.table}_owner_created`;
  return {
    [`migrations/${timestamp}-${n.Plural}.ts`]: `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      \`CREATE TABLE "${n.table}" ("id" integer GENERATED ALWAYS AS IDENTITY NOT NULL, "owner_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "${pk}" PRIMARY KEY ("id"))\`,
    );
    await queryRunner.query(\`CREATE INDEX "${index}" ON "${n.table}"  ("owner_id", "created_at") \`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP INDEX "public"."${index}"\`);
    await queryRunner.query(\`DROP TABLE "${n.table}"\`);
  }
}
`,
  };
}

const policySpec = (n: ModuleNames) => `import { describe, expect, it } from 'vitest';
import { canDelete${n.Singular} } from './${n.singularKebab}.policy.js';
import { to${n.Singular} } from './${n.kebab}.mapper.js';
import type { ${n.Singular}Entity } from './${n.singularKebab}.entity.js';

const owner = '7d1f4a52-6c1e-4a8e-9a55-2f0d3c1b9e01';
const other = '0b9c8e1d-3f2a-4b6c-8d7e-1a2b3c4d5e6f';

describe('${n.words} policy', () => {
  it('lets only the owner delete', () => {
    expect(canDelete${n.Singular}(owner, { ownerId: owner })).toBe(true);
    expect(canDelete${n.Singular}(other, { ownerId: owner })).toBe(false);
  });
});

describe('${n.words} mapper', () => {
  it('lists exactly the fields that leave the module', () => {
    const createdAt = new Date('2026-01-02T03:04:05Z');
    const row = Object.assign(new Object() as ${n.Singular}Entity, { id: 7, ownerId: owner, name: 'n', createdAt });
    expect(to${n.Singular}(row)).toEqual({ id: 7, ownerId: owner, name: 'n', createdAt });
  });
});
`;

const e2eSpec = (n: ModuleNames) => `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

describe('${n.kebab}: /api/v1/${n.kebab}', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  let other: RegisteredUser;
  beforeAll(async () => {
    t = await createTestApp();
    [owner, other] = [await registerUser(t), await registerUser(t)];
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (token: string | undefined, body: unknown) =>
    t.request({ method: 'POST', url: '/api/v1/${n.kebab}', token, body });

  it('creates, reads, lists and deletes a ${n.words}', async () => {
    // Files share the run's database: assert only on this test's own random data.
    const name = \`${n.words} \${owner.username}\`;
    const created = await create(owner.token, { ${n.singular}: { name: \`  \${name}  \` } });
    expect(created.status).toBe(201);
    expect(created.body.${n.singular}).toEqual({
      id: expect.any(Number),
      ownerId: expect.any(String),
      name,
      createdAt: expect.any(String),
    });
    const { id } = created.body.${n.singular};
    const [row] = await t.dataSource.query('SELECT name FROM ${n.table} WHERE id = $1', [id]);
    expect(row.name).toBe(name);

    const read = await t.request({ method: 'GET', url: \`/api/v1/${n.kebab}/\${id}\` });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const list = await t.request({ method: 'GET', url: '/api/v1/${n.kebab}?limit=100' });
    expect(list.status).toBe(200);
    expect(list.body.${n.plural}.map((item: { id: number }) => item.id)).toContain(id);

    const forbidden = await t.request({ method: 'DELETE', url: \`/api/v1/${n.kebab}/\${id}\`, token: other.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: 'NOT_${n.CONSTANT}_OWNER' });

    const deleted = await t.request({ method: 'DELETE', url: \`/api/v1/${n.kebab}/\${id}\`, token: owner.token });
    expect(deleted.status).toBe(204);
    expect(await t.dataSource.query('SELECT 1 FROM ${n.table} WHERE id = $1', [id])).toEqual([]);
  });

  it('answers 404 in problem+json for an unknown id', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/${n.kebab}/2147483647' });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 404, code: '${n.CONSTANT}_NOT_FOUND' });
    const gone = await t.request({ method: 'DELETE', url: '/api/v1/${n.kebab}/2147483647', token: owner.token });
    expect(gone.status).toBe(404);
  });

  it('requires a token to write', async () => {
    const response = await create(undefined, { ${n.singular}: { name: 'anonymous' } });
    expect(response.status).toBe(401);
    expect((await t.request({ method: 'DELETE', url: '/api/v1/${n.kebab}/1' })).status).toBe(401);
  });

  it('answers 422 with the field errors for an invalid body or id', async () => {
    const blank = await create(owner.token, { ${n.singular}: { name: '   ' } });
    expect(blank.status).toBe(422);
    expect(blank.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: '${n.singular}.name' })]));
    expect((await create(owner.token, {})).status).toBe(422);
    expect((await t.request({ method: 'GET', url: '/api/v1/${n.kebab}/not-a-number' })).status).toBe(422);
    expect((await t.request({ method: 'GET', url: '/api/v1/${n.kebab}?limit=7.5' })).status).toBe(422);
  });
});
`;
