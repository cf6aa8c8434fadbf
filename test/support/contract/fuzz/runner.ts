// Runs the generated cases of each operation against a listening API and records what breaks.
import fc from 'fast-check';
import { checkResponse, type Problem } from '../checks.js';
import {
  createWorld,
  FEATURE_FLAGS_PATH,
  FreshResources,
  PATH_PARAMETER_RESOURCES,
  SetupError,
  setFeatureFlag,
} from '../fixtures.js';
import { HttpClient, TransportError, type WireRequest, type WireResponse } from '../http.js';
import { loadModuleContracts } from '../modules.js';
import { loadApiDocument, type ApiDocument, type Operation } from '../openapi.js';
import { SchemaValidator } from '../schemas.js';
import { TEST_JWT_SECRET } from '../tokens.js';
import {
  BODY_FIXTURES,
  caseArbitrary,
  FLAGGED_OPERATIONS,
  materialize,
  tokenHeaders,
  type CaseEnvironment,
} from './cases.js';
import type { FuzzCase } from './model.js';

export interface FuzzConfig {
  baseUrl: string;
  seed: number;
  /** The JWT_SECRET of the API under test: expired and unknown-user tokens are signed with it. */
  secret?: string;
  /** The API's BODY_LIMIT_BYTES (bodies past it must get 413). */
  bodyLimit?: number;
  document?: ApiDocument;
  /** Called after every request (the CLI's --verbose). */
  onCase?: (record: CaseRecord) => void;
}

export interface Replay {
  seed: number;
  op: string;
  /** fast-check's path of the case: its index in the operation's run. */
  path: string;
}

export interface CaseRecord {
  operation: Operation;
  fuzzCase: FuzzCase;
  request: WireRequest;
  response?: WireResponse;
  problems: Problem[];
  replay: Replay;
}

/** Each operation draws from its own seed, so adding an operation does not change the cases of the others. */
export function operationSeed(seed: number, operationId: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of operationId) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash | 0;
}

export class FuzzSession {
  readonly client: HttpClient;
  private readonly pool: FreshResources;
  readonly byStatus = new Map<string, number>();
  readonly failures: CaseRecord[] = [];
  requests = 0;
  /** Set by stop(): the remaining cases are skipped (the CLI's Ctrl-C), so the run can still clean up. */
  stopped = false;
  private readonly started = performance.now();
  /**
   * Whether a request may have changed a feature flag since the flags of FLAGGED_OPERATIONS were last turned
   * on: fuzzed PUT/DELETE of the admin API turn them off, or on for a share of users only.
   */
  private flagsMayHaveChanged = true;

  private constructor(
    readonly config: FuzzConfig,
    readonly document: ApiDocument,
    private readonly env: CaseEnvironment,
    private readonly tokens: ReturnType<typeof tokenHeaders>,
    client: HttpClient,
  ) {
    this.client = client;
    this.pool = new FreshResources(client, env.world);
  }

  /** Loads the committed document and creates the shared fixtures through the API. */
  static async start(config: FuzzConfig): Promise<FuzzSession> {
    const document = config.document ?? loadApiDocument();
    const client = new HttpClient(config.baseUrl);
    try {
      const roles = new Set(document.operations.flatMap((op) => (op.requiredRole ? [op.requiredRole] : [])));
      // Turning flags on goes through the admin API.
      if (document.operations.some((op) => FLAGGED_OPERATIONS[op.key])) roles.add('admin');
      // Generated modules' fixtures (test/e2e/<name>/<name>.contract.ts), made with the shared ones.
      const modules = await loadModuleContracts({
        pathParameters: Object.keys(PATH_PARAMETER_RESOURCES),
        bodyFixtures: Object.keys(BODY_FIXTURES),
      });
      const world = await createWorld(client, [...roles], config.secret ?? TEST_JWT_SECRET, modules.pathParameters);
      const env: CaseEnvironment = {
        document,
        validator: new SchemaValidator(document),
        world,
        bodyLimit: config.bodyLimit ?? 1_048_576,
        secret: config.secret ?? TEST_JWT_SECRET,
        client,
        caseFixtures: modules.bodyFixtures,
      };
      const session = new FuzzSession(config, document, env, tokenHeaders(env), client);
      await session.enableFlags();
      return session;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  get operations(): Operation[] {
    return this.document.operations;
  }

  get elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  /**
   * Runs `runs` cases of one operation (from `fromPath` on, to replay one case) and returns the failing ones.
   * The property never throws on a bad answer: every failing case of the run is collected, not only the first.
   */
  async fuzz(operation: Operation, runs: number, fromPath?: number): Promise<CaseRecord[]> {
    const failures: CaseRecord[] = [];
    const arbitrary = caseArbitrary(this.env, operation);
    const first = fromPath ?? 0;
    let index = 0;
    const property = fc.asyncProperty(arbitrary, async (fuzzCase) => {
      if (this.stopped) return;
      const replay = { seed: this.config.seed, op: operation.id, path: String(first + index) };
      index += 1;
      const record = await this.send(operation, fuzzCase, replay);
      if (record.problems.length > 0) failures.push(record);
    });
    await fc.assert(property, {
      seed: operationSeed(this.config.seed, operation.id),
      numRuns: runs,
      // The property throws only on harness errors (a fixture the API refused): shrinking would only repeat them.
      endOnFailure: true,
      ...(fromPath === undefined ? {} : { path: String(fromPath) }),
    });
    this.failures.push(...failures);
    return failures;
  }

  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.client.close();
  }

  /**
   * Turns on, for every caller (100 % rollout), the flags that FLAGGED_OPERATIONS need, when a request may
   * have changed them. Their cases then have a determined answer (the flag is on: 200), rather than
   * "200 or 404", which would also pass if the flag check were broken. Setup requests: not counted.
   */
  private async enableFlags(): Promise<void> {
    if (!this.flagsMayHaveChanged) return;
    const flags = this.document.operations.map((op) => FLAGGED_OPERATIONS[op.key]);
    const admin = this.env.world.roles.admin;
    const names = [...new Set(flags.filter((name): name is string => name !== undefined))];
    if (names.length === 0) return;
    if (!admin) throw new SetupError('no admin account to turn feature flags on');
    for (const name of names) await setFeatureFlag(this.client, admin, name, { enabled: true, rolloutPercent: 100 });
    this.flagsMayHaveChanged = false;
  }

  private async send(operation: Operation, fuzzCase: FuzzCase, replay: Replay): Promise<CaseRecord> {
    if (FLAGGED_OPERATIONS[operation.key]) await this.enableFlags();
    const { request, fresh } = await materialize(this.env, this.pool, this.tokens, operation, fuzzCase);
    if (operation.method !== 'GET' && operation.path.startsWith(FEATURE_FLAGS_PATH)) this.flagsMayHaveChanged = true;
    this.requests += 1;
    let record: CaseRecord;
    try {
      const response = await this.client.send(request);
      if (fresh && response.status >= 400 && response.status < 500) {
        this.pool.giveBack(fresh.resources, fresh.kinds);
      }
      const context = { operation, sentPath: request.path, hostilePath: fuzzCase.hostilePath, expect: fuzzCase.expect };
      const problems = checkResponse(this.env.validator, context, response);
      record = { operation, fuzzCase, request, response, problems, replay };
      this.count(String(response.status));
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const problems: Problem[] = [{ rule: 'transport', key: `no answer (${error.code})`, detail: error.message }];
      record = { operation, fuzzCase, request, problems, replay };
      this.count(error.code);
    }
    this.config.onCase?.(record);
    return record;
  }

  private count(outcome: string): void {
    this.byStatus.set(outcome, (this.byStatus.get(outcome) ?? 0) + 1);
  }
}
