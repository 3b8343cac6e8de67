import { describe, expect, test } from 'vitest';
import { Relation, Table } from '../../mock/directory.js';

describe('Table', () => {
  test('max-plus-one ids reuse the highest id after it is deleted, as SQLite rowids do', () => {
    const t = new Table<{ id: number; name: string }>('t', { ids: 'max-plus-one', unique: ['name'] });
    expect(t.insert({ name: 'a' }).id).toBe(1);
    expect(t.insert({ name: 'b' }).id).toBe(2);
    t.delete(2);
    expect(t.insert({ name: 'c' }).id).toBe(2);
  });

  test('counter ids never go back', () => {
    const t = new Table<{ id: number; name: string }>('t', { ids: 'counter' });
    t.insert({ name: 'a' });
    const b = t.insert({ name: 'b' });
    t.delete(b.id);
    expect(t.insert({ name: 'c' }).id).toBe(3);
  });

  test('unique keys are looked up exactly and kept in step with updates and deletes', () => {
    const t = new Table<{ id: number; name: string }>('t', { ids: 'counter', unique: ['name'] });
    const a = t.insert({ name: 'alice' });
    expect(t.by('name', 'alice')?.id).toBe(a.id);
    expect(t.by('name', 'ALICE')).toBeUndefined();
    t.update(a.id, { name: 'alicia' });
    expect(t.by('name', 'alice')).toBeUndefined();
    expect(t.by('name', 'alicia')?.id).toBe(a.id);
    expect(() => t.insert({ name: 'alicia' })).toThrow(/duplicate/);
    t.delete(a.id);
    expect(t.by('name', 'alicia')).toBeUndefined();
  });

  test('rows list id first', () => {
    const t = new Table<{ id: number; name: string }>('t', { ids: 'counter' });
    expect(Object.keys(t.insert({ name: 'x' }))).toEqual(['id', 'name']);
  });
});

describe('Relation', () => {
  test('is indexed from both sides and drops whole sides for cascades', () => {
    const r = new Relation<string>('r');
    r.set(1, 10, 'x');
    r.set(1, 11, 'y');
    r.set(2, 10, 'z');
    expect(r.rightsOf(1).sort()).toEqual([10, 11]);
    expect(r.leftsOf(10).sort()).toEqual([1, 2]);
    r.dropRight(10);
    expect(r.rightsOf(1)).toEqual([11]);
    expect(r.leftsOf(10)).toEqual([]);
    expect(r.has(2, 10)).toBe(false);
    r.dropLeft(1);
    expect(r.size).toBe(0);
  });
});

describe('Table derived indexes', () => {
  test('find follows inserts, updates and deletes without a scan', () => {
    const t = new Table<{ id: number; email: string | null; extra: string[] }>('users', { ids: 'counter' }).indexBy(
      'email',
      (r) => [r.email, ...r.extra].filter((e): e is string => e !== null).map((e) => e.toLowerCase()),
    );
    const a = t.insert({ email: 'A@x.org', extra: ['a2@x.org'] });
    const b = t.insert({ email: null, extra: [] });
    expect(t.find('email', 'a@x.org')).toEqual([a]);
    expect(t.find('email', 'a2@x.org')).toEqual([a]);
    t.update(b.id, { email: 'a@x.org' });
    expect(t.find('email', 'a@x.org').map((r) => r.id)).toEqual([a.id, b.id]);
    t.update(a.id, { email: 'new@x.org', extra: [] });
    expect(t.find('email', 'a@x.org').map((r) => r.id)).toEqual([b.id]);
    expect(t.find('email', 'a2@x.org')).toEqual([]);
    t.delete(b.id);
    expect(t.find('email', 'a@x.org')).toEqual([]);
    expect(() => t.find('nope', 1)).toThrow(/no index nope/);
  });
});
