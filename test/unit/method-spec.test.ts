import { describe, expect, test } from 'vitest';
import { Type } from 'typebox';
import { deleteRepo } from '../../src/protocols/rhodecode/methods/support.js';
import type { RhodeCodeWorld } from '../../src/protocols/rhodecode/world.js';
import type { CallContext } from '../../src/spec/context.js';
import { arranged, arrangement, methodsOf } from '../../src/spec/method.js';

describe('declarations: arranged params and the declaration factory', () => {
  test('params alone come back with no context; arranged ones with theirs, also from a promise', async () => {
    expect(await arrangement({ a: 1 })).toEqual({ params: { a: 1 }, context: undefined });
    const context = { name: 'x' };
    const made = await arrangement(Promise.resolve(arranged({ id: 2 }, context)));
    expect(made.params).toEqual({ id: 2 });
    expect(made.context).toBe(context);
  });

  test('params that happen to have keys named params and context are still params', async () => {
    const params = { params: 1, context: 2 };
    expect((await arrangement(params)).params).toBe(params);
  });

  test('methodsOf derives what its complete function adds, for every method it declares', () => {
    const withPath = methodsOf<unknown, unknown, { readonly path: string }>((spec) => ({
      ...spec,
      route: { verb: 'GET', path: spec.wire.path },
    }));
    const { method } = withPath;
    const declared = method({
      name: 'm',
      group: 'g',
      summary: 's',
      see: 'x',
      wire: { path: '/m' },
      params: Type.Object({}),
      result: { must: Type.Object({}) },
      access: { term: 't', see: 'x', decide: () => ({ allowed: true }) },
      valid: () => ({}),
      errors: [],
      examples: [],
    });
    expect(declared.route).toEqual({ verb: 'GET', path: '/m' });
  });

  test("a RhodeCode success's msg names the object its valid() made, handed on as the context", async () => {
    const made = { world: {}, create: async () => ({ id: 7, name: 'accord_t_repo_1' }) };
    // Only what deleteRepo's valid() reads (freshFor: world.user, create); the rest of a context is not needed.
    const c = made as unknown as CallContext<RhodeCodeWorld>;
    const { params, context } = await arrangement(deleteRepo.valid(c));
    expect(params).toEqual({ repoid: 7 });
    const says = (deleteRepo.succeeds?.(params, c, context) ?? []).map((f) => f.says);
    expect(says).toContain('msg "Deleted repository `accord_t_repo_1`"');
  });
});
