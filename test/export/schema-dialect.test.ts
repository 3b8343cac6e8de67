import { Type } from 'typebox';
import { expect, test } from 'vitest';
import { as2020, plain } from '../../src/export/common.js';

/** OpenAPI 3.1 reads JSON Schema 2020-12: TypeBox's draft-07 tuples become prefixItems, nested ones too. */
test('a tuple becomes prefixItems with items: false; other keywords are kept', () => {
  const schema = Type.Object({ pair: Type.Tuple([Type.String(), Type.Integer()]), list: Type.Array(Type.String()) });
  expect(as2020(plain(schema))).toEqual({
    type: 'object',
    required: ['pair', 'list'],
    properties: {
      pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false, minItems: 2 },
      list: { type: 'array', items: { type: 'string' } },
    },
  });
});
