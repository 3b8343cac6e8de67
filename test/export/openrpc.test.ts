import { formOf } from '../../src/spec/variant.js';
import { parseOpenRPCDocument, validateOpenRPCDocument } from '@open-rpc/schema-utils-js';
import type { Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { protocolById } from '../../src/protocols/index.js';
import type { Level } from '../../src/spec/levels.js';
import { violations } from '../../src/spec/schema.js';
import { scratchDir, writtenDocument } from './documents.js';

/**
 * The OpenRPC exports (Kanboard, RhodeCode, nymea) as the ecosystem's tools read them: schema-utils-js
 * validates them; the OpenRPC mock server serves Kanboard's, and accord's result schemas judge its answers.
 */
type Doc = Record<string, any>;
// The package names no entry point (no main, no exports): its build is loaded as its own CLI loads it.
type MockServerModule = typeof import('@open-rpc/mock-server/build/index.js');
const mockServer = (createRequire(import.meta.url)('@open-rpc/mock-server/build/index.js') as MockServerModule).default;
const PROTOCOLS = ['kanboard', 'rhodecode', 'nymea'] as const;
const LEVELS_USED: readonly Level[] = ['must', 'quirk'];
const dir = scratchDir('openrpc');
const docs = new Map<string, Doc>();

beforeAll(async () => {
  for (const protocol of PROTOCOLS)
    for (const level of LEVELS_USED)
      docs.set(`${protocol}/${level}`, (await writtenDocument(dir, protocol, 'openrpc', level)).document);
});

const documentOf = (protocol: string, level: string): Doc => docs.get(`${protocol}/${level}`)!;

describe.each(PROTOCOLS.flatMap((p) => LEVELS_USED.map((l) => [p, l] as const)))('%s at %s', (protocol, level) => {
  test('@open-rpc/schema-utils-js validates it', async () => {
    const document = documentOf(protocol, level);
    expect(validateOpenRPCDocument(structuredClone(document) as never)).toBe(true);
    await expect(parseOpenRPCDocument(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  test('every declared method is there, with its params by name, its errors and access per identity', () => {
    const document = documentOf(protocol, level);
    const spec = protocolById(protocol)!;
    expect(document['methods'].map((m: { name: string }) => m.name)).toEqual(spec.methods.map((m) => m.name));
    for (const method of spec.methods) {
      const m = document['methods'].find((x: { name: string }) => x.name === method.name);
      expect(m.params.map((p: { name: string }) => p.name)).toEqual(Object.keys(method.params.properties));
      expect(m['x-accord-errors'].map((e: { id: string }) => e.id)).toEqual(method.errors.map((e) => e.id));
      expect(m['x-accord-access'].identities.map((i: { identity: string }) => i.identity)).toEqual(
        spec.identities.map((i) => i.id),
      );
    }
    expect(document['x-accord-envelope']).toBeTypeOf('object');
  });
});

test('errors are the wire forms: Kanboard codes, RhodeCode and nymea texts under a stated code', () => {
  const errorsOf = (protocol: string, method: string) =>
    documentOf(protocol, 'must')['methods'].find((m: { name: string }) => m.name === method).errors;
  expect(errorsOf('kanboard', 'createUser')).toContainEqual({
    code: -32602,
    message: 'Invalid params',
    data: 'Missing argument: username',
  });
  expect(errorsOf('rhodecode', 'create_user')).toContainEqual({
    code: -32000,
    message: 'Missing non optional `username` arg in JSON DATA',
  });
  expect(errorsOf('nymea', 'Users.GetUsers')).toContainEqual({
    code: -32000,
    message: 'Permission denied.',
    data: { status: 'error' },
  });
});

describe('@open-rpc/mock-server serves the Kanboard document', () => {
  const spec = protocolById('kanboard')!;
  let http: HttpServer | undefined;
  let url = '';
  let document: Doc;

  beforeAll(async () => {
    document = documentOf('kanboard', 'must');
    const parsed = await parseOpenRPCDocument(structuredClone(document) as never);
    const server = mockServer(0, parsed);
    // Its HTTP transport listens on every interface when started; accord's tests listen on 127.0.0.1 only.
    http = (server as unknown as { transports: { server: HttpServer }[] }).transports[0]!.server;
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => http?.close(resolve));
  });

  const call = async (method: string, params: unknown) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    return (await response.json()) as { result?: unknown; error?: unknown };
  };

  // The mock answers a call whose params equal an example's with that example's result: every method with one.
  const withExamples = () =>
    spec.methods.filter(
      (m) => (document['methods'].find((x: { name: string }) => x.name === m.name).examples ?? []).length > 0,
    );

  test('it answers from the examples for most methods', () => {
    expect(withExamples().length).toBeGreaterThan(spec.methods.length / 2);
  });

  // Without an example (createLdapUser: its valid call fails on a server without LDAP) the mock makes an
  // answer from the result schema with json-schema-faker; accord's schema must accept that too.
  test.each(spec.methods.map((m) => [m.name, m] as const))(
    "%s: accord's must result schema accepts the mock's answer",
    async (name, method) => {
      const m = document['methods'].find((x: { name: string }) => x.name === name);
      const example = m.examples?.[0];
      const params = example
        ? Object.fromEntries(example.params.map((p: { name: string; value: unknown }) => [p.name, p.value]))
        : Object.fromEntries(
            m.params.filter((p: { required: boolean }) => p.required).map((p: { name: string }) => [p.name, 'accord']),
          );
      const reply = await call(name, params);
      expect(reply.error).toBeUndefined();
      expect(violations(method.result.must, reply.result)).toEqual([]);
    },
  );
});

test("--level chooses the result schemas: must, or the real server's exact form at quirk", () => {
  const spec = protocolById('kanboard')!;
  const quirky = spec.methods.filter((m) => m.result.quirk !== undefined);
  expect(quirky.length).toBeGreaterThan(0);
  for (const method of quirky) {
    const at = (level: Level) =>
      documentOf('kanboard', level)['methods'].find((m: { name: string }) => m.name === method.name).result.schema;
    expect(at('must')).toEqual(JSON.parse(JSON.stringify(method.result.must)));
    // A quirk form per variant: the document carries its default variant's (accord export --variant: another's).
    const quirk = formOf(method.result.quirk!, spec.variants!.default);
    expect(at('quirk')).toEqual(JSON.parse(JSON.stringify(quirk)));
    expect(at('quirk')).not.toHaveProperty('byVariant');
  }
});
