// The contract-suite file of a generated module: test/e2e/<name>/<name>.contract.ts, found by
// test/support/contract/modules.ts when the client replay and the fuzz start. It gives a replay scenario for
// each of the module's four operations and the fuzz's fixture for its `<name>/{id}` path parameter, so that
// `npm test` passes right after `npm run new:module` (docs/testing-contract.md).
import type { ModuleNames } from './names.js';
import type { Files } from './source-templates.js';

export function contractFile(n: ModuleNames): Files {
  return { [`test/e2e/${n.kebab}/${n.kebab}.contract.ts`]: contract(n) };
}

const contract = (
  n: ModuleNames,
) => `// ${cap(n.kebab.replaceAll('-', ' '))} in the contract suites (docs/testing-contract.md): the client replay's
// scenarios for the module's operations and the fuzz's fixture for its \`${n.kebab}/{id}\` path parameter.
// Found by test/support/contract/modules.ts; everything is set up through the API, as a client would.
// Written by \`npm run new:module\`: keep it in step with the module's real fields.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { call, type Account } from '../../support/contract/fixtures.js';
import type { HttpClient } from '../../support/contract/http.js';
import type { ModuleContract } from '../../support/contract/modules.js';

const PATH = '/api/v1/${n.kebab}';

interface ${n.Singular}Json {
  id: number;
  ownerId: string;
  name: string;
  createdAt: string;
}

const newName = () => \`${n.words} \${randomBytes(5).toString('hex')}\`;

/** A ${n.words} of \`owner\`'s, created through the API. */
async function create${n.Singular}(client: HttpClient, owner: Account, name = newName()): Promise<${n.Singular}Json> {
  const body = { ${n.singular}: { name } };
  const response = await call(client, 'POST', PATH, { token: owner.token, body, expect: 201 });
  return (response.json as { ${n.singular}: ${n.Singular}Json }).${n.singular};
}

export const contract: ModuleContract = {
  scenarios: {
    [\`GET \${PATH}\`]: async ({ client, author }) => {
      const created = await create${n.Singular}(client, author);
      return {
        query: { limit: '100', offset: '0' },
        // Newest first: one just created is on the first page, whatever other files wrote.
        verify: (json) => expect(json.${n.plural}).toEqual(expect.arrayContaining([created])),
      };
    },
    [\`POST \${PATH}\`]: async ({ author }) => {
      const name = newName();
      return {
        as: author,
        body: { ${n.singular}: { name } },
        verify: (json) =>
          expect(json.${n.singular}).toEqual({
            id: expect.any(Number),
            ownerId: expect.any(String),
            name,
            createdAt: expect.any(String),
          }),
      };
    },
    [\`GET \${PATH}/{id}\`]: async ({ client, author, reader }) => {
      const created = await create${n.Singular}(client, author);
      return { as: reader, params: { id: String(created.id) }, verify: (json) => expect(json.${n.singular}).toEqual(created) };
    },
    // Deletes one of its own: every framing of the replay runs the scenario again, so gets a new ${n.words}.
    [\`DELETE \${PATH}/{id}\`]: async ({ client, author }) => ({
      as: author,
      params: { id: String((await create${n.Singular}(client, author)).id) },
    }),
  },
  pathParameters: {
    '${n.kebab}/{id}': async ({ client, owner }) => String((await create${n.Singular}(client, owner)).id),
  },
};
`;

function cap(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
