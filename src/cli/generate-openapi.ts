// npm run openapi: writes openapi/openapi.json from the controllers and DTOs. Runs Nest in preview
// mode (modules scanned, no provider instantiated), so it needs no database.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppModule } from '../app.module.js';
import { buildOpenApiDocument } from '../core/http/openapi.js';

const output = join(dirname(fileURLToPath(import.meta.url)), '../../../openapi/openapi.json');

const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
  preview: true,
  logger: ['error', 'warn'],
});
const document = await buildOpenApiDocument(app);
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify(document, null, 2)}\n`);
await app.close();
console.log(`wrote ${output} (${Object.keys(document.paths).length} paths)`);
