import SwaggerParser from '@apidevtools/swagger-parser';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { protocolById } from '../../src/protocols/index.js';
import type { LEVELS } from '../../src/spec/levels.js';
import type { HttpObserved } from '../../src/spec/observed.js';
import { NOT_JSON } from '../../src/spec/observed.js';
import { freePort, NODE_MODULES, scratchDir, writtenDocument } from './documents.js';

/**
 * The OpenAPI exports (OctoPrint 1.4–1.11 and 1.3) as the ecosystem's tools read them: swagger-parser
 * validates them, Redocly lints them, Prism serves them (and accord's own shapes check accepts what it
 * serves), openapi-typescript turns them into types that compile.
 */
type Doc = Record<string, any>;
const PROTOCOLS = ['octoprint', 'octoprint-1.3'] as const;
const LEVELS_USED: readonly (typeof LEVELS)[number][] = ['must', 'quirk'];
const dir = scratchDir('openapi');
const docs = new Map<string, { document: Doc; file: string }>();
const key = (protocol: string, level: string) => `${protocol}/${level}`;

beforeAll(async () => {
  for (const protocol of PROTOCOLS)
    for (const level of LEVELS_USED)
      docs.set(key(protocol, level), await writtenDocument(dir, protocol, 'openapi', level));
});

function documentOf(protocol: string, level: string) {
  const d = docs.get(key(protocol, level));
  if (!d) throw new Error(`no document for ${protocol} at ${level}`);
  return d;
}

describe.each(PROTOCOLS.flatMap((p) => LEVELS_USED.map((l) => [p, l] as const)))('%s at %s', (protocol, level) => {
  test('swagger-parser validates it', async () => {
    const { document } = documentOf(protocol, level);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  test('every route of the declarations is an operation, with x-accord-access for every identity', () => {
    const { document } = documentOf(protocol, level);
    const spec = protocolById(protocol)!;
    for (const method of spec.methods) {
      const op = document['paths'][method.route!.path]?.[method.route!.verb.toLowerCase()];
      expect(op?.operationId, method.name).toBe(method.name);
      expect(op['x-accord-access'].identities.map((i: { identity: string }) => i.identity)).toEqual(
        spec.identities.map((i) => i.id),
      );
      expect(op['x-accord-errors'].map((e: { id: string }) => e.id)).toEqual(method.errors.map((e) => e.id));
    }
  });
});

// One Redocly process for every document (its start-up is most of a lint's cost); problems name their file.
test('Redocly lints every document without errors (recommended rules)', () => {
  const files = [...docs.values()].map((d) => d.file);
  expect(files).toHaveLength(PROTOCOLS.length * LEVELS_USED.length);
  // Real bodies carry more keys than a schema names (OctoPrint's plugin permissions): examples may.
  const config = join(dir, 'redocly.yaml');
  writeFileSync(
    config,
    'extends:\n  - recommended\nrules:\n  no-invalid-media-type-examples:\n    severity: warn\n    allowAdditionalProperties: true\n',
  );
  const run = spawnSync(
    process.execPath,
    [
      join(NODE_MODULES, '@redocly/cli/bin/cli.js'),
      'lint',
      ...files,
      '--config',
      config,
      '--format=json',
      '--max-problems=1000',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  // One JSON report per file, written one after the other.
  const reports = JSON.parse(`[${run.stdout.replace(/\}\{(?=\s*"totals")/g, '},{')}]`) as {
    problems: { ruleId: string; severity: string; message: string; location?: { source?: { ref?: string } }[] }[];
  }[];
  expect(reports).toHaveLength(files.length);
  const errors = reports
    .flatMap((r) => r.problems)
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.location?.[0]?.source?.ref ?? '?'}: ${p.ruleId}: ${p.message}`);
  expect(errors).toEqual([]);
  expect(run.status).toBe(0);
});

test('OctoPrint: API key schemes, the legacy 307s, and refusals with their real bodies', () => {
  const { document } = documentOf('octoprint', 'must');
  expect(document['components'].securitySchemes['ApiKeyHeader']).toMatchObject({
    type: 'apiKey',
    in: 'header',
    name: 'X-Api-Key',
  });
  expect(document['components'].securitySchemes['ApiKeyQuery']).toMatchObject({
    type: 'apiKey',
    in: 'query',
    name: 'apikey',
  });
  expect(Object.keys(document['paths']['/api/users/{name}'])).toEqual(['get', 'put', 'delete']);
  expect(document['paths']['/api/users']['get'].responses['307'].headers.Location).toBeDefined();
  const forbidden =
    document['paths']['/api/access/users']['get'].responses['403'].content['application/json'].examples['as-user']
      .value;
  expect(forbidden).toEqual({
    error:
      "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.",
  });
  const csrf =
    document['paths']['/api/access/users']['post'].responses['400'].content['application/json'].examples['as-anonymous']
      .value;
  expect(csrf).toEqual({ error: 'CSRF validation failed' });
});

describe.each(PROTOCOLS)('Prism serves the %s document', (protocol) => {
  let prism: ChildProcess | undefined;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const file = documentOf(protocol, 'must').file;
    const child = spawn(
      process.execPath,
      [join(NODE_MODULES, '@stoplight/prism-cli/dist/index.js'), 'mock', '-h', '127.0.0.1', '-p', String(port), file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    prism = child;
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('Prism is listening')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`prism exited (${code}): ${seen.slice(-2000)}`)));
    });
  });

  afterAll(() => {
    prism?.kill();
  });

  const spec = protocolById(protocol)!;
  test.each(spec.methods.map((m) => [m.name, m] as const))(
    "%s: the body Prism serves passes accord's shapes check at must",
    async (_name, method) => {
      const { document } = documentOf(protocol, 'must');
      const op = document['paths'][method.route!.path][method.route!.verb.toLowerCase()];
      const path = method.route!.path.replace(/\{[^}]+\}/g, 'admin');
      const examples = op.requestBody?.content['application/json'].examples ?? {};
      const body = Object.values(examples as Record<string, { value: unknown }>)[0]?.value;
      const response = await fetch(`${base}${path}`, {
        method: method.route!.verb,
        headers: { 'x-api-key': 'any-key', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: unknown = NOT_JSON;
      try {
        json = JSON.parse(text);
      } catch {}
      const observed: HttpObserved = {
        transport: 'http',
        status: response.status,
        statusText: response.statusText,
        headers: Object.fromEntries(response.headers),
        text,
        json,
      };
      const facets = [
        ...spec.binding.succeeded,
        spec.binding.resultMatches(method.result.must, 'must', 'the result at must'),
      ];
      expect(
        facets.map((f) => f.verify(observed)),
        text.slice(0, 500),
      ).toEqual(facets.map(() => null));
    },
  );
});

test('openapi-typescript turns the OctoPrint document into types that compile', async () => {
  const { document } = documentOf('octoprint', 'must');
  const types = await openapiTS(structuredClone(document) as never);
  writeFileSync(join(dir, 'octoprint.d.ts'), types);
  // The types are used as a client would: a user record's fields, an operation's path parameter.
  writeFileSync(
    join(dir, 'use.ts'),
    [
      "import type { paths, operations } from './octoprint.js';",
      "type User = paths['/api/access/users/{name}']['get']['responses'][200]['content']['application/json'];",
      "export const user: Pick<User, 'name' | 'active'> = { name: 'admin', active: true };",
      "export const name: operations['access.users.get']['parameters']['path']['name'] = 'admin';",
      '',
    ].join('\n'),
  );
  const tsc = spawnSync(
    process.execPath,
    [
      join(NODE_MODULES, 'typescript/bin/tsc'),
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--skipLibCheck',
      join(dir, 'use.ts'),
    ],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
});
