// JSON Schema validation of requests and responses against the committed document (ajv 8).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { deref, type ApiDocument, type JsonSchema } from './openapi.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;
const DOCUMENT_ID = 'openapi.json';

export interface SchemaCheck {
  valid: boolean;
  errors: string[];
}

/**
 * Validates values against schemas of the document. Objects are treated as closed (no property beyond
 * those documented): the API rejects unknown request fields, and a response field missing from the
 * document is a gap in the document. OpenAPI 3.0 `nullable` is honoured.
 */
export class SchemaValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  private readonly compiled = new WeakMap<JsonSchema, ValidateFunction>();

  constructor(private readonly document: ApiDocument) {
    addFormats(this.ajv);
    const schemas = Object.fromEntries(
      Object.entries(document.schemas).map(([name, schema]) => [name, this.prepare(schema)]),
    );
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas } });
  }

  check(schema: JsonSchema, value: unknown): SchemaCheck {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(this.prepare(schema));
      this.compiled.set(schema, validate);
    }
    const valid = validate(value) === true;
    return { valid, errors: valid ? [] : (validate.errors ?? []).map(describe) };
  }

  /** Validates a path or query value as the server sees it: text, read as a number where the schema wants one. */
  checkParameter(schema: JsonSchema, text: string | string[]): SchemaCheck {
    const resolved = deref(this.document.raw, schema);
    const wantsNumber = resolved.type === 'integer' || resolved.type === 'number';
    const wantsArray = resolved.type === 'array';
    const read = (one: string): unknown => (wantsNumber && JSON_NUMBER.test(one) ? Number(one) : one);
    const value = Array.isArray(text) && !wantsArray ? text.map(read) : Array.isArray(text) ? text : read(text);
    return this.check(schema, value);
  }

  /** A deep copy ajv can compile: references into the registered document, nullable without a type made explicit. */
  private prepare(schema: JsonSchema, inAllOf = false): JsonSchema {
    if (Array.isArray(schema)) return schema.map((item) => this.prepare(item)) as unknown as JsonSchema;
    if (!schema || typeof schema !== 'object') return schema;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out.$ref = `${DOCUMENT_ID}${value}`;
      else if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
        out[key] = Object.fromEntries(
          Object.entries<JsonSchema>(value).map(([name, sub]) => [name, this.prepare(sub)]),
        );
      } else if (key === 'allOf') out.allOf = (value as JsonSchema[]).map((sub) => this.prepare(sub, true));
      else if (key === 'discriminator' || key === 'example' || key === 'xml' || key === 'externalDocs') continue;
      else if (value && typeof value === 'object') out[key] = this.prepare(value);
      else out[key] = value;
    }
    // A member of allOf must stay open, or the other members' properties would be refused.
    const isObject = out.type === 'object' || (out.type === undefined && out.properties !== undefined);
    if (isObject && out.additionalProperties === undefined && !inAllOf && !out.allOf) out.additionalProperties = false;
    // ajv reads `nullable` only beside a `type`; elsewhere (a reference, a composition) spell it out.
    if (out.nullable !== undefined && out.type === undefined) {
      const nullable = out.nullable === true;
      delete out.nullable;
      if (nullable) return { anyOf: [out, { type: 'null' }] };
    }
    return out;
  }
}

// The literal forms JSON itself accepts: what a strictly documented numeric parameter may look like.
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function describe(error: ErrorObject): string {
  const params =
    error.keyword === 'additionalProperties'
      ? ` "${String(error.params.additionalProperty)}"`
      : error.keyword === 'required'
        ? ` "${String(error.params.missingProperty)}"`
        : '';
  return `${error.instancePath || '/'} ${error.message ?? error.keyword}${params}`;
}

const CODE = { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' };
const REQUEST_ID = { type: 'string', minLength: 1 };

/** `{"errors":{"body":[...]},"code","requestId"}`: the RealWorld error body, nothing more. */
export const REALWORLD_ERROR_SHAPE: JsonSchema = {
  type: 'object',
  required: ['errors', 'code', 'requestId'],
  additionalProperties: false,
  properties: {
    errors: {
      type: 'object',
      required: ['body'],
      additionalProperties: false,
      properties: { body: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } } },
    },
    code: CODE,
    requestId: REQUEST_ID,
  },
};

/** RFC 9457 problem details as Folio extends them: `{type,title,status,code,detail,errors[],requestId}`. */
export const PROBLEM_SHAPE: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail', 'errors', 'requestId'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1 },
    title: { type: 'string', minLength: 1 },
    status: { type: 'integer' },
    code: CODE,
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        additionalProperties: false,
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    requestId: REQUEST_ID,
  },
};
