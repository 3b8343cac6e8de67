import { describe, expect, test } from 'vitest';
import { frozenCopy, Keyed, Relation, Table } from '../../mock/directory.js';

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

describe('Keyed', () => {
  test('rows are frozen copies all the way down: a change made in place throws', () => {
    const t = new Keyed<string, { name: string; groups: string[]; settings: Record<string, unknown> }>('t');
    const given = { name: 'a', groups: ['users'], settings: { nested: { x: 1 } } };
    const row = t.set('a', given);
    expect(row).toEqual(given);
    expect(row).not.toBe(given);
    given.groups.push('admins');
    expect(t.get('a')?.groups).toEqual(['users']);
    expect(() => (row.groups as string[]).push('admins')).toThrow(TypeError);
    expect(() => ((row.settings['nested'] as { x: number }).x = 2)).toThrow(TypeError);
    expect(() => ((row as { name: string }).name = 'b')).toThrow(TypeError);
  });

  test('the table version moves on every set, update and delete; a row version on its own writes', () => {
    const t = new Keyed<string, { n: number }>('t');
    const versions = [t.version];
    t.set('a', { n: 1 });
    versions.push(t.version);
    const a = t.versionOf('a');
    t.set('b', { n: 1 });
    versions.push(t.version);
    expect(t.versionOf('a')).toBe(a);
    t.update('a', { n: 2 });
    versions.push(t.version);
    expect(t.versionOf('a')).not.toBe(a);
    expect(t.get('a')?.n).toBe(2);
    t.delete('b');
    versions.push(t.version);
    expect(t.versionOf('b')).toBeUndefined();
    expect(new Set(versions).size).toBe(versions.length);
    expect(t.delete('b')).toBe(false);
    expect(t.update('b', { n: 3 })).toBeUndefined();
    expect(t.version).toBe(versions.at(-1));
  });

  test('keeps the order keys were first set in, and tells keys apart as a Map does', () => {
    const t = new Keyed<string | number, { n: number }>('t');
    t.set('b', { n: 1 });
    t.set(1, { n: 2 });
    t.set('1', { n: 3 });
    t.set('b', { n: 4 });
    expect([...t.keys()]).toEqual(['b', 1, '1']);
    expect([...t.values()].map((r) => r.n)).toEqual([4, 2, 3]);
  });

  test('a frozen copy keeps an own __proto__ key and numbers JSON has no form for', () => {
    const value = JSON.parse('{"__proto__": {"a": 1}, "b": [1]}') as Record<string, unknown>;
    value['c'] = Number.NaN;
    const copy = frozenCopy(value);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'b', 'c']);
    expect(copy['c']).toBeNaN();
  });
});
