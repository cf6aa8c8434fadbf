import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

/**
 * `schema.d.ts` from the committed `openapi/openapi.json`, the way openapi-typescript's CLI writes it.
 * `npm run client:generate` writes it; the typed-client e2e test calls `generateSchema()` in memory and
 * fails when the committed file differs, so the client never drifts from the document.
 */
export const DOCUMENT_PATH = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL('./schema.d.ts', import.meta.url));
export const GENERATE_COMMAND = 'npm run client:generate';

export async function generateSchema(): Promise<string> {
  const document = JSON.parse(await readFile(DOCUMENT_PATH, 'utf8'));
  // `silent`: the document is linted by `npm run openapi:lint`; no second report here.
  const ast = await openapiTS(document, { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SCHEMA_PATH, await generateSchema());
  console.log(`wrote ${SCHEMA_PATH}`);
}
