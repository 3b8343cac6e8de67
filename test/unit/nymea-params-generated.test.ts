import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Static } from 'typebox';
import { describe, expect, test } from 'vitest';
import { API } from '../../src/protocols/nymea/api.js';
import { method } from '../../src/protocols/nymea/define.js';
import { nymea } from '../../src/protocols/nymea/index.js';
import { PARAMS, type NymeaMethodName } from '../../src/protocols/nymea/params.generated.js';
import { methodSchemas } from '../../src/protocols/nymea/schemas.js';

/**
 * params.generated.ts is the static copy of what schemas.ts derives at run time from the introspection data:
 * the same JSON Schema for every declared method, and exactly what scripts/gen-nymea-params.mjs writes now.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const GENERATED = path.join(ROOT, 'src/protocols/nymea/params.generated.ts');
const declared = nymea.methods.map((m) => m.name);

describe('the generated nymea params', () => {
  test('there is one schema per method of the introspection data, and every declared method has one', () => {
    expect(Object.keys(PARAMS)).toEqual(Object.keys(API.methods).sort());
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((name) => !(name in PARAMS))).toEqual([]);
  });

  test.each(declared)("%s: the generated schema is the converter's, key for key and in order", (name) => {
    const generated = PARAMS[name as NymeaMethodName];
    const derived = methodSchemas(name).params;
    expect(generated).toStrictEqual(derived);
    // Property order is the positional parameter order (signatureOf): the serialized forms agree byte for byte.
    expect(JSON.stringify(generated)).toBe(JSON.stringify(derived));
  });

  test.each(declared)('%s: the declaration carries the generated schema', (name) => {
    expect(nymea.methods.find((m) => m.name === name)?.params).toBe(PARAMS[name as NymeaMethodName]);
  });

  test('the committed file is what the generator writes from the committed introspection data', () => {
    const script = path.join(ROOT, 'scripts/gen-nymea-params.mjs');
    const fresh = execFileSync(process.execPath, [script, '--stdout'], { encoding: 'utf8' });
    expect(readFileSync(GENERATED, 'utf8')).toBe(fresh);
  });

  test('a declaration sees its params typed by the schema (tsc holds the @ts-expect-error lines)', () => {
    const m = method('Users.RemoveUser', {
      group: 'users',
      see: 'nymea.md §6',
      // @ts-expect-error the schema says username is a String
      valid: () => ({ username: 42 }),
      succeeds: (p) => {
        const name: string = p.username;
        // @ts-expect-error Users.RemoveUser has no param password
        void p.password;
        return name === '' ? [] : [];
      },
      errors: [],
      examples: [],
    });
    const scopes: Static<(typeof PARAMS)['Users.SetUserScopes']>['scopes'] = ['PermissionScopeAdmin'];
    // @ts-expect-error scopes are the names of the enum PermissionScope
    const wrong: Static<(typeof PARAMS)['Users.SetUserScopes']>['scopes'] = ['PermissionScopeEverything'];
    expect([scopes, wrong]).toHaveLength(2);
    expect(m.params).toBe(PARAMS['Users.RemoveUser']);
  });
});
