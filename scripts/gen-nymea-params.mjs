#!/usr/bin/env node
// Write src/protocols/nymea/params.generated.ts: the params schema of every method of nymea's introspection
// data (src/protocols/nymea/nymea-users-api.json) as static TypeBox code, so that a declaration's params
// have a type (`Static<P>`). The code builds what schemas.ts's converter builds at run time in the `params`
// direction (`methodSchemas(name).params`): the same keys in the same order, `o:` optional, `r:` keys left
// out, enums as unions of literals with their title, unknown keys refused (additionalProperties false).
//
//   node scripts/gen-nymea-params.mjs            write the file
//   node scripts/gen-nymea-params.mjs --stdout   print it instead
//   node scripts/gen-nymea-params.mjs --check    exit 1 if the committed file differs
//
// test/unit/nymea-params-generated.test.ts holds both: the code builds what the converter builds, and the
// committed file is what this script writes now.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = 'src/protocols/nymea/nymea-users-api.json';
const TARGET = 'src/protocols/nymea/params.generated.ts';
const WIDTH = 118;

// Code as a tree, laid out at the end: a call, an object literal, an array literal, or text as is.
const call = (fn, args) => ({ kind: 'call', fn, args });
const object = (entries) => ({ kind: 'object', entries });
const array = (items) => ({ kind: 'array', items });
const raw = (text) => ({ kind: 'raw', text });
const ESCAPES = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r' };
const str = (s) => raw(`'${s.replace(/[\\'\n\r]/g, (ch) => ESCAPES[ch])}'`);
const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k).text);

/** A call whose last argument is an options object, left out when it has no entries. */
const withOptions = (fn, args, options) => call(fn, options.length === 0 ? args : [...args, object(options)]);
const titled = (title) => (title === undefined ? [] : [['title', str(title)]]);

// schemas.ts's BASIC, as code: each takes the options a `$ref` adds (its title).
const BASIC = {
  Uuid: (o) => call('Type.String', [object([['pattern', raw('UUID_PATTERN')], ...o])]),
  String: (o) => withOptions('Type.String', [], o),
  StringList: (o) => withOptions('Type.Array', [call('Type.String', [])], o),
  Int: (o) => withOptions('Type.Integer', [], o),
  Uint: (o) => call('Type.Integer', [object([['minimum', raw('0')], ...o])]),
  Double: (o) => withOptions('Type.Number', [], o),
  Bool: (o) => withOptions('Type.Boolean', [], o),
  Variant: (o) => withOptions('Type.Unknown', [], o),
  Color: (o) => withOptions('Type.String', [], o),
  Time: (o) => withOptions('Type.String', [], o),
  Object: (o) => call('Type.Unsafe<Record<string, unknown>>', [object([['type', str('object')], ...o])]),
};

/** api.ts's parseKey: `d:o:enabled` is the optional, deprecated `enabled`. */
function parseKey(k) {
  const prefixes = /^((?:[a-z]:)*)/.exec(k)?.[1] ?? '';
  const flags = prefixes.split(':').filter((p) => p !== '');
  return { name: k.slice(prefixes.length), optional: flags.includes('o'), readOnly: flags.includes('r') };
}

/**
 * schemas.ts's schemaOf in the params direction. `title` is what a `$ref` spreads over the schema
 * (`{ ...schemaOf(x), title: ref }`): here an option of the schema's own call, which builds the same keys.
 */
function schemaCode(api, notation, title) {
  if (typeof notation === 'string') return namedCode(api, notation, title);
  if (Array.isArray(notation)) {
    if (notation.length !== 1) {
      throw new Error(`a list notation has exactly one element type, got ${JSON.stringify(notation)}`);
    }
    return withOptions('Type.Array', [schemaCode(api, notation[0])], titled(title));
  }
  return objectCode(api, notation, title);
}

function namedCode(api, name, title) {
  if (!name.startsWith('$ref:')) {
    const basic = BASIC[name];
    if (!basic) throw new Error(`unknown nymea basic type ${name}`);
    return basic(titled(title));
  }
  const ref = name.slice('$ref:'.length);
  const values = api.enums[ref];
  if (values) {
    const literals = values.map((v) => call('Type.Literal', [str(v)]));
    return call('Type.Union', [array(literals), object(titled(title ?? ref))]);
  }
  const flags = api.flags[ref];
  if (flags) return schemaCode(api, flags, title ?? ref);
  const type = api.types[ref];
  if (type !== undefined) return schemaCode(api, type, title ?? ref);
  throw new Error(`$ref:${ref} names no enum, flags or type of the introspection data`);
}

/** schemas.ts's objectSchema, params direction: read-only keys left out, unknown keys refused. */
function objectCode(api, notation, title) {
  const properties = [];
  for (const [k, value] of Object.entries(notation)) {
    const parsed = parseKey(k);
    if (parsed.readOnly) continue;
    const schema = schemaCode(api, value);
    properties.push([key(parsed.name), parsed.optional ? call('Type.Optional', [schema]) : schema]);
  }
  return call('Type.Object', [object(properties), object([['additionalProperties', raw('false')], ...titled(title)])]);
}

// Layout: one line when it fits, else the arguments one per line; a call's first object or array argument
// hugs the parenthesis when the other arguments fit after it.
function flat(node) {
  switch (node.kind) {
    case 'raw':
      return node.text;
    case 'call':
      return `${node.fn}(${node.args.map(flat).join(', ')})`;
    case 'array':
      return `[${node.items.map(flat).join(', ')}]`;
    case 'object':
      return node.entries.length === 0 ? '{}' : `{ ${node.entries.map(([k, v]) => `${k}: ${flat(v)}`).join(', ')} }`;
  }
  throw new Error(`no layout for ${node.kind}`);
}

/** `indent`: the indentation of the line the node starts on; `start`: its column there; `tail`: what follows it. */
function layout(node, indent, start, tail) {
  const one = flat(node);
  if (start + one.length + tail <= WIDTH || node.kind === 'raw') return one;
  const pad = ' '.repeat(indent + 2);
  const inner = (v, prefix = '') => `${pad}${prefix}${layout(v, indent + 2, indent + 2 + prefix.length, 1)},\n`;
  const close = ' '.repeat(indent);
  if (node.kind === 'object') return `{\n${node.entries.map(([k, v]) => inner(v, `${k}: `)).join('')}${close}}`;
  if (node.kind === 'array') return `[\n${node.items.map((v) => inner(v)).join('')}${close}]`;
  const [first, ...rest] = node.args;
  const restText = rest.map(flat).join(', ');
  // The hugged form ends on a line `<indent>}, <rest>)<tail>`.
  const hugs = first && (first.kind === 'object' || first.kind === 'array');
  if (hugs && indent + 3 + restText.length + 1 + tail <= WIDTH) {
    return `${node.fn}(${layout(first, indent, Infinity, 0)}${rest.length ? `, ${restText}` : ''})`;
  }
  return `${node.fn}(\n${node.args.map((a) => inner(a)).join('')}${close})`;
}

function generate(api) {
  const names = Object.keys(api.methods).sort();
  const entries = names.map((name) => {
    const label = `${str(name).text}: `;
    return `  ${label}${layout(objectCode(api, api.methods[name].params), 2, 2 + label.length, 1)},\n`;
  });
  return [
    `// Generated by scripts/gen-nymea-params.mjs from ${SOURCE.split('/').pop()}: do not edit by hand.`,
    '// Regenerate after changing the introspection data: node scripts/gen-nymea-params.mjs',
    '// test/unit/nymea-params-generated.test.ts fails when it is stale or builds other schemas than schemas.ts.',
    "import { Type } from 'typebox';",
    "import { UUID_PATTERN } from './schemas.js';",
    '',
    '/**',
    " * The params of every method of the introspection data, as schemas.ts's `methodSchemas(name).params` builds",
    " * them at run time, written out so that a declaration's params have a static type.",
    ' */',
    `export const PARAMS = {\n${entries.join('')}};`,
    '',
    '/** A method of the introspection data, by name. */',
    'export type NymeaMethodName = keyof typeof PARAMS;',
    '',
  ].join('\n');
}

const { values: args } = parseArgs({ options: { stdout: { type: 'boolean' }, check: { type: 'boolean' } } });
const text = generate(JSON.parse(readFileSync(join(ROOT, SOURCE), 'utf8')));
if (args.stdout) process.stdout.write(text);
else if (args.check) {
  let committed = '';
  try {
    committed = readFileSync(join(ROOT, TARGET), 'utf8');
  } catch {}
  if (committed !== text) {
    console.error(`${TARGET} is stale: run node scripts/gen-nymea-params.mjs`);
    process.exit(1);
  }
} else writeFileSync(join(ROOT, TARGET), text);
