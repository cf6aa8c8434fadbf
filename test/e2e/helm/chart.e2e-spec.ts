import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { unknownFields } from './unknown-fields.js';

/**
 * The Helm chart (helm/folio), verified without a helm binary (none exists here): values against the chart's
 * JSON schema with ajv, templates rendered by helm/render (Go text/template + Debian's Sprig, Helm's engine),
 * every manifest against the Kubernetes schemas of `kubernetes-models`, and the references between manifests.
 * Needs `go` and golang-github-masterminds-sprig-dev: `.ci/run` installs them; elsewhere the rendering part is
 * skipped with a message when they are missing.
 */
const CHART = 'helm/folio';
const SPRIG = '/usr/share/gocode/src/github.com/Masterminds/sprig';
const haveGo = spawnSync('go', ['version']).status === 0 && existsSync(SPRIG);
// .ci/run sets FOLIO_REQUIRE_HELM_TOOLS after installing Go: there a missing toolchain fails instead of skipping.
const inCi = Boolean(process.env.CI || process.env.FOLIO_REQUIRE_HELM_TOOLS);
if (!haveGo && !inCi) {
  console.warn(
    'helm chart: rendering tests skipped: `go` or Sprig missing (apt-get install golang-go golang-github-masterminds-sprig-dev)',
  );
}

type Values = Record<string, unknown>;
type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: any;
  stringData?: any;
};

const readYaml = (path: string): Values => (parse(readFileSync(path, 'utf8')) as Values | null) ?? {};
const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's coalescing of values files: maps merge, anything else replaces, null deletes. */
function merge(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else if (isMap(out[key]) && isMap(value)) out[key] = merge(out[key], value);
    else out[key] = value;
  }
  return out;
}

const ciFiles = readdirSync(join(CHART, 'ci'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const defaults = readYaml(join(CHART, 'values.yaml'));

describe('helm chart: values.schema.json', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }); // required-only subschemas (if/then, not) are intended;
  const validate = ajv.compile(JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')));

  it('accepts values.yaml and every ci/*.yaml merged over it', () => {
    expect(ciFiles).toEqual(expect.arrayContaining(['default-values.yaml', 'production-values.yaml']));
    expect(validate(defaults), JSON.stringify(validate.errors)).toBe(true);
    for (const file of ciFiles) {
      const values = merge(defaults, readYaml(join(CHART, 'ci', file)));
      expect(validate(values), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it.each([
    [
      'a secret in the ConfigMap',
      { config: { NODE_ENV: 'production', REDIS_KEY_PREFIX: 'f:', DATABASE_URL: 'postgres://x' } },
    ],
    ['an unknown top-level key', { replicas: 3 }],
    ['an unknown api key', { api: { replicas: 3 } }],
    ['a bad pull policy', { image: { repository: 'folio', pullPolicy: 'Sometimes' } }],
    [
      'a probe on a path Folio does not serve',
      { api: { livenessProbe: { httpGet: { path: '/healthz', port: 'http' } } } },
    ],
    ['secrets.create without the values', { secrets: { create: true, values: { JWT_SECRET: 'x'.repeat(20) } } }],
    [
      'a non-postgres DATABASE_URL',
      {
        secrets: {
          create: true,
          values: {
            DATABASE_URL: 'mysql://x',
            REDIS_URL: 'redis://r',
            JWT_SECRET: 'x'.repeat(20),
            SMTP_URL: 'smtp://m',
          },
        },
      },
    ],
    ['a KEDA trigger it does not render', { worker: { keda: { enabled: true, trigger: 'rabbitmq' } } }],
  ])('rejects %s', (_label, override) => {
    expect(validate(merge(defaults, override))).toBe(false);
    expect(validate.errors?.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!haveGo && !inCi)('helm chart: rendered by helm/render (text/template + Sprig)', () => {
  let dir: string;
  let renderer: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'folio-helm-'));
    renderer = join(dir, 'render');
    const build = spawnSync('go', ['build', '-o', renderer, './helm/render'], {
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH: `/usr/share/gocode:${dir}`,
        GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'folio-helm-gocache'),
        GOFLAGS: '',
      },
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const render = (args: string[]) =>
    spawnSync(renderer, ['-chart', CHART, '-name', 'folio', '-namespace', 'blog', ...args], { encoding: 'utf8' });

  function renderManifests(valuesFile: string): Manifest[] {
    const result = render(['-f', join(CHART, 'ci', valuesFile)]);
    expect(result.status, result.stderr).toBe(0);
    const docs = parseAllDocuments(result.stdout);
    for (const doc of docs) expect(doc.errors, `${valuesFile}: ${doc.errors.join('; ')}`).toEqual([]);
    const manifests = docs.map((d) => d.toJS() as Manifest).filter((m) => m !== null);
    console.log(
      `helm chart (${valuesFile}): ${manifests.length} manifests\n${manifests.map((m) => `  ${m.kind}/${m.metadata.name}`).join('\n')}`,
    );
    return manifests;
  }

  const MODELS: Record<string, new (data: any) => { validate(): void }> = {
    Deployment,
    HorizontalPodAutoscaler,
    Job,
    Ingress,
    PodDisruptionBudget,
    ConfigMap,
    PersistentVolumeClaim,
    Secret,
    Service,
    ServiceAccount,
  };

  const MODEL_FILES: Record<string, string> = {
    Deployment: 'kubernetes-models/apps/v1/Deployment',
    HorizontalPodAutoscaler: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    Job: 'kubernetes-models/batch/v1/Job',
    Ingress: 'kubernetes-models/networking.k8s.io/v1/Ingress',
    PodDisruptionBudget: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    ConfigMap: 'kubernetes-models/v1/ConfigMap',
    PersistentVolumeClaim: 'kubernetes-models/v1/PersistentVolumeClaim',
    Secret: 'kubernetes-models/v1/Secret',
    Service: 'kubernetes-models/v1/Service',
    ServiceAccount: 'kubernetes-models/v1/ServiceAccount',
  };

  it('finds the misspelt fields that validate() lets through', () => {
    const typo = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labelz: {} },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: {
            containers: [
              {
                name: 'api',
                readinesProbe: { httpGet: { path: '/health/ready', port: 'http' } },
                livenessProbe: { httpGet: { path: '/health/live', port: 'http', portt: 1 } },
                envFrom: [{ secretRefs: { name: 's' } }],
              },
            ],
          },
        },
      },
    };
    expect(() => new Deployment(typo as never).validate()).not.toThrow();
    expect(unknownFields(typo, MODEL_FILES.Deployment, 'IDeployment')).toEqual([
      '/metadata/labelz',
      '/spec/template/spec/containers/0/readinesProbe',
      '/spec/template/spec/containers/0/livenessProbe/httpGet/portt',
      '/spec/template/spec/containers/0/envFrom/0/secretRefs',
    ]);
  });

  /** CRDs: kubernetes-models ships no ServiceMonitor/ScaledObject schema (@kubernetes-models/* CRD packages are not installed). */
  function validateCrd(m: Manifest): void {
    if (m.kind === 'ServiceMonitor') {
      expect(m.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(m.spec.selector.matchLabels).toBeTypeOf('object');
      expect(m.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
    } else if (m.kind === 'ScaledObject') {
      expect(m.apiVersion).toBe('keda.sh/v1alpha1');
      expect(m.spec.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
      expect(m.spec.maxReplicaCount).toBeGreaterThanOrEqual(m.spec.minReplicaCount);
      expect(m.spec.triggers.length).toBeGreaterThan(0);
      for (const t of m.spec.triggers) {
        expect(['prometheus', 'redis']).toContain(t.type);
        for (const v of Object.values(t.metadata)) expect(v).toBeTypeOf('string'); // KEDA metadata is map[string]string
      }
    } else {
      throw new Error(`no validation for kind ${m.kind}`);
    }
  }

  const find = (ms: Manifest[], kind: string, name: string) => {
    const m = ms.find((x) => x.kind === kind && x.metadata.name === name);
    expect(m, `${kind}/${name}`).toBeDefined();
    return m!;
  };
  const subset = (selector: Record<string, string>, labels: Record<string, string>) =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);
  const commandOf = (c: any) => [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  const cmdOfDeployment = (d: Manifest) => commandOf(d.spec.template.spec.containers[0]);

  /** The references a cluster would resolve at runtime, and the rules of docs/operations.md. */
  function checkReferences(ms: Manifest[], prefix: string): void {
    const api = find(ms, 'Deployment', `${prefix}-api`);
    const podLabels = api.spec.template.metadata.labels;
    const container = api.spec.template.spec.containers[0];
    const ports = new Map<string, number>(container.ports.map((p: any) => [p.name, p.containerPort]));
    expect(subset(api.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(podLabels).toMatchObject({ 'app.kubernetes.io/component': 'api', 'app.kubernetes.io/managed-by': 'Helm' });
    expect(podLabels['helm.sh/chart']).toMatch(/^folio-\d/);
    expect(commandOf(container)).toMatch(/^node .*dist\/src\/main\.js$/);

    // Probes: Folio's real paths, on a port the container declares.
    for (const [probe, path] of [
      ['livenessProbe', '/health/live'],
      ['readinessProbe', '/health/ready'],
      ['startupProbe', '/health/live'],
    ]) {
      expect(container[probe].httpGet.path, probe).toBe(path);
      expect(ports.has(container[probe].httpGet.port), `${probe} port`).toBe(true);
    }
    expect(ports.get('metrics')).toBe(9464);

    // Shutdown budget: preStop + grace period + drain timeout fit in terminationGracePeriodSeconds.
    const cm = find(ms, 'ConfigMap', prefix);
    const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const grace = Number(cm.data.SHUTDOWN_GRACE_PERIOD_MS);
    if (preStop > 0) expect(grace).toBe(0);
    expect(api.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      preStop * 1000 + grace + Number(cm.data.SHUTDOWN_TIMEOUT_MS),
    );
    // Readiness notices the 503 within the grace period (docs/operations.md).
    if (grace > 0)
      expect(container.readinessProbe.periodSeconds * container.readinessProbe.failureThreshold * 1000).toBeLessThan(
        grace,
      );

    // Security: non-root, read-only root, nothing added.
    expect(api.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const mounts = container.volumeMounts.map((v: any) => v.mountPath);
    expect(mounts).toContain('/tmp');
    expect(mounts).toContain(cm.data.STORAGE_DIR.replace(/\/files$/, ''));

    // Secrets and config: every envFrom reference resolves to the chart's ConfigMap or the named Secret.
    const secretName = container.envFrom.find((e: any) => e.secretRef)?.secretRef.name;
    expect(container.envFrom.find((e: any) => e.configMapRef)?.configMapRef.name).toBe(cm.metadata.name);
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'SMTP_URL'])
      expect(cm.data[key], key).toBeUndefined();
    const ownSecret = ms.find((m) => m.kind === 'Secret');
    if (ownSecret) {
      expect(ownSecret.metadata.name).toBe(secretName);
      expect(Object.keys(ownSecret.stringData).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'REDIS_URL', 'SMTP_URL']);
    }

    // Service → api pods, on the container's named ports.
    const svc = find(ms, 'Service', prefix);
    expect(subset(svc.spec.selector, podLabels)).toBe(true);
    for (const p of svc.spec.ports) expect(ports.has(p.targetPort), `service port ${p.name}`).toBe(true);

    // Worker: its own entry, probes on WORKER_PORT, its Service's selector.
    const worker = find(ms, 'Deployment', `${prefix}-worker`);
    const wc = worker.spec.template.spec.containers[0];
    expect(commandOf(wc)).toMatch(/^node .*dist\/src\/main\.worker\.js$/);
    const workerPort = wc.ports.find((p: any) => p.name === wc.livenessProbe.httpGet.port)?.containerPort;
    expect(workerPort).toBe(Number(wc.env.find((e: any) => e.name === 'WORKER_PORT').value));
    expect(wc.livenessProbe.httpGet.path).toBe('/health/live');
    expect(wc.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(wc.envFrom.find((e: any) => e.secretRef)?.secretRef.name).toBe(secretName);
    expect(subset(worker.spec.selector.matchLabels, worker.spec.template.metadata.labels)).toBe(true);
    // The api and worker selectors never overlap (each Service and PDB picks one component).
    expect(subset(api.spec.selector.matchLabels, worker.spec.template.metadata.labels)).toBe(false);
    const workerSvc = find(ms, 'Service', `${prefix}-worker`);
    expect(subset(workerSvc.spec.selector, worker.spec.template.metadata.labels)).toBe(true);
    expect(workerSvc.spec.ports[0].targetPort).toBe(wc.livenessProbe.httpGet.port);

    // Migrations: a pre-install/pre-upgrade hook running TypeORM's migration:run on the built data source.
    const job = find(ms, 'Job', `${prefix}-migrations`);
    expect(job.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade' });
    expect(job.metadata.annotations!['helm.sh/hook-delete-policy']).toContain('before-hook-creation');
    const jc = job.spec.template.spec.containers[0];
    expect(commandOf(jc)).toBe(
      'node node_modules/typeorm/cli.js migration:run -d dist/src/core/database/data-source.js',
    );
    expect(jc.envFrom.find((e: any) => e.secretRef)?.secretRef.name).toBe(secretName);
    expect(jc.envFrom.some((e: any) => e.configMapRef)).toBe(false); // not there yet at pre-install
    expect(jc.env.find((e: any) => e.name === 'NODE_ENV')?.value).toBe('production');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    if (ownSecret) expect(ownSecret.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');

    // ServiceAccount used by the pods exists (when the chart creates one).
    const sa = ms.find((m) => m.kind === 'ServiceAccount');
    if (sa) expect(api.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);

    // HPA, PDBs, KEDA, Ingress, ServiceMonitor point at what exists.
    const hpa = ms.find((m) => m.kind === 'HorizontalPodAutoscaler');
    if (hpa) {
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: api.metadata.name });
      expect(api.spec.replicas).toBeUndefined(); // the HPA owns it
    }
    for (const pdb of ms.filter((m) => m.kind === 'PodDisruptionBudget')) {
      const target = pdb.metadata.name === `${prefix}-api` ? api : worker;
      expect(subset(pdb.spec.selector.matchLabels, target.spec.template.metadata.labels), pdb.metadata.name).toBe(true);
    }
    for (const tsc of api.spec.template.spec.topologySpreadConstraints ?? []) {
      expect(subset(tsc.labelSelector.matchLabels, podLabels)).toBe(true);
    }
    const scaled = ms.find((m) => m.kind === 'ScaledObject');
    if (scaled) {
      expect(scaled.spec.scaleTargetRef.name).toBe(worker.metadata.name);
      expect(worker.spec.replicas).toBeUndefined();
    }
    for (const ing of ms.filter((m) => m.kind === 'Ingress')) {
      for (const rule of ing.spec.rules) {
        for (const p of rule.http.paths) {
          expect(p.backend.service.name).toBe(svc.metadata.name);
          expect(svc.spec.ports.map((x: any) => x.name)).toContain(p.backend.service.port.name);
        }
      }
    }
    const monitor = ms.find((m) => m.kind === 'ServiceMonitor');
    if (monitor) {
      for (const s of [svc, workerSvc]) {
        expect(subset(monitor.spec.selector.matchLabels, s.metadata.labels!), s.metadata.name).toBe(true);
        expect(s.spec.ports.map((x: any) => x.name)).toContain('metrics');
      }
    }
    const pvc = ms.find((m) => m.kind === 'PersistentVolumeClaim');
    if (pvc) {
      for (const d of [api, worker]) {
        const storage = d.spec.template.spec.volumes.find((v: any) => v.name === 'storage');
        expect(storage.persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
      }
    }
  }

  function validateAll(ms: Manifest[]): void {
    for (const m of ms) {
      expect(m.metadata.labels?.['app.kubernetes.io/instance'], `${m.kind}/${m.metadata.name} labels`).toBe('folio');
      const Model = MODELS[m.kind];
      if (Model) {
        expect(() => new Model(m).validate(), `${m.kind}/${m.metadata.name}`).not.toThrow();
        expect(
          unknownFields(m, MODEL_FILES[m.kind], `I${m.kind}`),
          `${m.kind}/${m.metadata.name} unknown fields`,
        ).toEqual([]);
      } else validateCrd(m);
    }
    const names = ms.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  }

  it('renders the default install: valid manifests whose references hold', () => {
    const ms = renderManifests('default-values.yaml');
    validateAll(ms);
    expect(ms.map((m) => m.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'Deployment',
        'Job',
        'PodDisruptionBudget',
        'Service',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    checkReferences(ms, 'folio');
    const api = find(ms, 'Deployment', 'folio-api');
    expect(api.spec.template.spec.containers[0].image).toBe(
      `ghcr.io/folio/folio:${JSON.parse(readFileSync('package.json', 'utf8')).version}`,
    );
    expect(api.spec.template.spec.containers[0].lifecycle).toBeUndefined(); // the app's grace period, no preStop

    // The image (Dockerfile): the pods run its default command and as its user.
    if (existsSync('Dockerfile')) {
      const dockerfile = readFileSync('Dockerfile', 'utf8');
      const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
      expect(cmdOfDeployment(api)).toBe((JSON.parse(cmd!) as string[]).join(' '));
      const user = /^USER (\d+)(?::(\d+))?$/m.exec(dockerfile);
      expect(api.spec.template.spec.securityContext.runAsUser).toBe(Number(user![1]));
      expect(dockerfile).toMatch(/ENTRYPOINT \["\/usr\/bin\/tini", "--"\]/); // kept: the chart sets args only
      expect(api.spec.template.spec.containers[0].command).toBeUndefined();
    }
  });

  it('renders the production-like install: HPA, PDBs, Ingress, ServiceMonitor, KEDA, PVC, tracing', () => {
    const ms = renderManifests('production-values.yaml');
    validateAll(ms);
    for (const kind of [
      'HorizontalPodAutoscaler',
      'Ingress',
      'ServiceMonitor',
      'ScaledObject',
      'PersistentVolumeClaim',
    ]) {
      expect(
        ms.map((m) => m.kind),
        kind,
      ).toContain(kind);
    }
    expect(ms.filter((m) => m.kind === 'PodDisruptionBudget')).toHaveLength(2);
    checkReferences(ms, 'folio');
    const cm = find(ms, 'ConfigMap', 'folio');
    expect(cm.data).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
      PUBLIC_URL: 'https://folio.example.com',
    });
    const api = find(ms, 'Deployment', 'folio-api');
    expect(commandOf(api.spec.template.spec.containers[0])).toBe(
      'node --enable-source-maps --import ./dist/src/instrument.js dist/src/main.js',
    );
    expect(api.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
    const query = find(ms, 'ScaledObject', 'folio-worker').spec.triggers[0].metadata.query;
    expect(query).toContain('folio_queue_jobs{namespace="blog",queue=~"notifications|reports",state="waiting"}');
  });

  it('renders the alternatives: chart-made Secret as a hook, preStop sleep, KEDA redis lists, existing account', () => {
    const ms = renderManifests('alternatives-values.yaml');
    validateAll(ms);
    checkReferences(ms, 'folio-publishing');
    const api = find(ms, 'Deployment', 'folio-publishing-api');
    expect(api.spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds).toBe(10);
    expect(api.spec.template.spec.terminationGracePeriodSeconds).toBe(10 + 15 + 5);
    expect(api.spec.template.spec.serviceAccountName).toBe('folio-runner');
    expect(find(ms, 'Job', 'folio-publishing-migrations').spec.template.spec.serviceAccountName).toBe('folio-runner');
    const trigger = find(ms, 'ScaledObject', 'folio-publishing-worker').spec.triggers[0];
    expect(trigger).toMatchObject({
      type: 'redis',
      metadata: { listName: 'folio:bull:notifications:wait', address: 'redis.cache:6379' },
      authenticationRef: { name: 'folio-redis-auth' },
    });
  });

  it('refuses to render without a Secret name, and renders NOTES.txt', () => {
    const bare = render([]);
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toContain('secrets.existingSecret is required');

    const notes = render(['-f', join(CHART, 'ci', 'default-values.yaml'), '-notes']);
    expect(notes.status, notes.stderr).toBe(0);
    expect(notes.stdout).toContain('kubectl -n blog port-forward svc/folio 8080:80');
    expect(notes.stdout).toContain('folio-secrets');
    expect(notes.stdout).toContain('WARNING: storage.persistence is off');
  });

  it('honours fullnameOverride and value overrides merged from several files (null deletes)', () => {
    const extra = join(dir, 'extra.yaml');
    writeFileSync(
      extra,
      'fullnameOverride: blog\napi:\n  topologySpreadConstraints: null\nworker:\n  enabled: false\n',
    );
    const result = render(['-f', join(CHART, 'ci', 'default-values.yaml'), '-f', extra]);
    expect(result.status, result.stderr).toBe(0);
    const ms = parseAllDocuments(result.stdout).map((d) => d.toJS() as Manifest);
    expect(ms.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(
      [
        'ConfigMap/blog',
        'Deployment/blog-api',
        'Job/blog-migrations',
        'PodDisruptionBudget/blog-api',
        'Service/blog',
        'ServiceAccount/blog',
      ].sort(),
    );
    expect(find(ms, 'Deployment', 'blog-api').spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });
});
