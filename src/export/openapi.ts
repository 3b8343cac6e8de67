import type { TSchema } from 'typebox';
import { violations } from '../spec/schema.js';
import type { LegacyRoute, OpenApiFacts } from '../spec/export-facts.js';
import {
  accessExtension,
  as2020,
  errorsExtension,
  fixturesOf,
  infoOf,
  plain,
  resultAt,
  type AnyMethod,
  type ExportInput,
  type JsonObject,
} from './common.js';
import { asHttpReply, mediaTypeOf, type HttpReply } from './http-replies.js';

/** A reply worth showing in a response: where it came from, and the reply. */
interface Shown {
  readonly name: string;
  readonly summary: string;
  readonly reply: HttpReply;
}

/** Schemas go into the document in OpenAPI 3.1's dialect; example values are left as recorded. */
const schemaOf = (schema: TSchema): JsonObject => as2020(plain(schema)) as JsonObject;

const pathNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

function bodyModeOf(method: AnyMethod): 'fields' | 'none' | { readonly param: string } {
  const route = method.route!;
  return route.body ?? (route.verb === 'GET' || route.verb === 'DELETE' ? 'none' : 'fields');
}

function parametersOf(method: AnyMethod): {
  parameters: JsonObject[];
  requestBody?: { schema: JsonObject; required: boolean; param?: string };
} {
  const properties = method.params.properties as Record<string, TSchema>;
  const required = new Set((method.params.required as string[] | undefined) ?? []);
  const inPath = pathNames(method.route!.path);
  const parameters: JsonObject[] = inPath.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: schemaOf(properties[name] ?? { type: 'string' }),
  }));
  const rest = Object.keys(properties).filter((n) => !inPath.includes(n));
  const mode = bodyModeOf(method);
  if (mode === 'none') {
    for (const name of rest)
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        schema: schemaOf(properties[name] as TSchema),
      });
    return { parameters };
  }
  if (typeof mode === 'object') {
    return {
      parameters,
      requestBody: {
        schema: schemaOf(properties[mode.param] as TSchema),
        required: required.has(mode.param),
        param: mode.param,
      },
    };
  }
  if (rest.length === 0) return { parameters };
  const { properties: _all, required: _req, ...options } = schemaOf(method.params);
  const schema: JsonObject = {
    ...options,
    type: 'object',
    properties: Object.fromEntries(rest.map((n) => [n, schemaOf(properties[n] as TSchema)])),
  };
  const requiredRest = rest.filter((n) => required.has(n));
  if (requiredRest.length > 0) schema['required'] = requiredRest;
  return { parameters, requestBody: { schema, required: requiredRest.length > 0 } };
}

/** Request body examples: the documentation's, then the recorded calls' (path params left out). */
function requestExamples(
  input: ExportInput,
  method: AnyMethod,
  param: string | undefined,
  schema: JsonObject,
): JsonObject {
  const inPath = pathNames(method.route!.path);
  const bodyOf = (params: unknown): unknown => {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return params;
    const rest = Object.fromEntries(Object.entries(params).filter(([k]) => !inPath.includes(k)));
    return param === undefined ? rest : rest[param];
  };
  const out: JsonObject = {};
  for (const f of fixturesOf(input, method.name)) {
    if (f.source === 'documentation') out[f.case] = { summary: f.description, value: f.params };
    // Fixtures without a required param are invalid requests by design: their replies show under the errors.
    else if (f.case === 'generated') out[f.case] = { summary: f.description, value: bodyOf(f.params) };
  }
  const success = input.recording[method.name]?.success;
  if (success) out['recorded'] = { summary: 'a valid call, as accord makes it', value: bodyOf(success.params) };
  // Only bodies the exported schema accepts: documentation placeholders that the server would refuse are left out.
  for (const [name, example] of Object.entries(out)) {
    const value = (example as JsonObject)['value'];
    if (value === undefined || violations(schema as TSchema, value).length > 0) delete out[name];
  }
  return out;
}

/** Every reply the method is known to give: recorded from the mock, and the committed fixtures. */
function shownReplies(input: ExportInput, method: AnyMethod): Shown[] {
  const recorded = input.recording[method.name];
  const shown: Shown[] = [];
  const add = (name: string, summary: string, reply: unknown) => {
    const r = asHttpReply(reply);
    if (r) shown.push({ name, summary, reply: r });
  };
  if (recorded?.success) add('recorded', `a valid call as ${recorded.success.identity}`, recorded.success.reply);
  for (const e of method.errors) if (recorded?.errors[e.id]) add(e.id, e.says, recorded.errors[e.id]?.reply);
  for (const [identity, call] of Object.entries(recorded?.denials ?? {}))
    add(`as-${identity}`, `refused: ${identity}`, call.reply);
  for (const f of fixturesOf(input, method.name))
    if (f.source === 'generated') add(`fixture-${f.case}`, f.description, f.reply);
  return shown;
}

function successResponse(input: ExportInput, method: AnyMethod, shown: readonly Shown[]): [string, JsonObject] {
  const result = resultAt(method.result, input.level, input.variant);
  const ok = shown.filter((s) => s.reply.status >= 200 && s.reply.status < 300);
  const status = ok[0]?.reply.status ?? 200;
  if (status === 204) return ['204', { description: method.summary }];
  const examples: JsonObject = {};
  // Only examples the exported schema accepts: a documented body the real server never sends is left out.
  for (const s of ok)
    if (violations(result, s.reply.body).length === 0) examples[s.name] = { summary: s.summary, value: s.reply.body };
  for (const f of fixturesOf(input, method.name)) {
    if (f.source === 'documentation' && violations(result, f.reply).length === 0)
      examples[f.case] = { summary: f.description, value: f.reply };
  }
  const media: JsonObject = { schema: schemaOf(result) };
  if (Object.keys(examples).length > 0) media['examples'] = examples;
  return [
    String(status),
    { description: method.summary, content: { [ok[0] ? mediaTypeOf(ok[0].reply) : 'application/json']: media } },
  ];
}

function errorResponses(facts: OpenApiFacts, shown: readonly Shown[]): Record<string, JsonObject> {
  const byStatus = new Map<number, Shown[]>();
  for (const s of shown)
    if (s.reply.status >= 300) byStatus.set(s.reply.status, [...(byStatus.get(s.reply.status) ?? []), s]);
  const out: Record<string, JsonObject> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const content: Record<string, JsonObject> = {};
    for (const s of list) {
      const media = mediaTypeOf(s.reply);
      const entry = (content[media] ??= {
        schema: media === 'application/json' ? schemaOf(facts.errorBody) : { type: 'string' },
        examples: {},
      });
      (entry['examples'] as JsonObject)[s.name] = { summary: s.summary, value: s.reply.body };
    }
    out[String(status)] = { description: [...new Set(list.map((s) => s.summary))].join('; '), content };
  }
  return out;
}

function operationOf(input: ExportInput, facts: OpenApiFacts, method: AnyMethod): JsonObject {
  const recorded = input.recording[method.name];
  const { parameters, requestBody } = parametersOf(method);
  const shown = shownReplies(input, method);
  const [status, success] = successResponse(input, method, shown);
  const anonymousAllowed = (recorded?.access ?? []).some((a) => a.allowed && a.anonymous);
  const security: JsonObject[] = Object.keys(facts.securitySchemes).map((name) => ({ [name]: [] }));
  const replyBody = (reply: unknown) => asHttpReply(reply) ?? reply;
  const op: JsonObject = {
    operationId: method.name,
    summary: method.summary,
    description: `${method.summary}. Access: ${method.access.term} (${method.access.see}). See ${method.see}.`,
    tags: [method.group],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody
      ? {
          requestBody: {
            required: requestBody.required,
            content: {
              'application/json': {
                schema: requestBody.schema,
                examples: requestExamples(input, method, requestBody.param, requestBody.schema),
              },
            },
          },
        }
      : {}),
    responses: { [status]: success, ...errorResponses(facts, shown) },
    security: anonymousAllowed ? [...security, {}] : security,
    'x-accord-access': accessExtension(method, recorded, replyBody),
    'x-accord-errors': errorsExtension(method, recorded, replyBody),
  };
  if (recorded && recorded.missed.length > 0) op['x-accord-not-recorded'] = recorded.missed;
  return op;
}

function legacyOperation(route: LegacyRoute): JsonObject {
  return {
    operationId: `legacy-${route.verb.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/\//g, '-')}`,
    summary: `Redirects to ${route.location}`,
    description: route.description,
    tags: ['legacy'],
    deprecated: true,
    parameters: pathNames(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    responses: {
      [String(route.status)]: {
        description: `Temporary redirect to ${route.location}; the method and body are kept`,
        headers: { Location: { description: `the matching ${route.location} path`, schema: { type: 'string' } } },
      },
    },
    security: [],
  };
}

/** An OpenAPI 3.1 document of a REST protocol's methods, at one level. */
export function openApiDocument(input: ExportInput): JsonObject {
  const { protocol } = input;
  const facts = protocol.exportAs?.openapi;
  if (!protocol.exportAs || !facts)
    throw new Error(`${protocol.id} declares no OpenAPI facts: it is not a REST protocol`);
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const method of protocol.methods) {
    if (!method.route) continue;
    (paths[method.route.path] ??= {})[method.route.verb.toLowerCase()] = operationOf(input, facts, method);
  }
  for (const route of facts.legacyRoutes ?? [])
    (paths[route.path] ??= {})[route.verb.toLowerCase()] = legacyOperation(route);
  const groups = [...new Set(protocol.methods.map((m) => m.group))];
  return {
    openapi: '3.1.0',
    info: infoOf(input, { spdx: true }),
    servers: [{ url: facts.serverUrl }],
    tags: [...groups, ...(facts.legacyRoutes?.length ? ['legacy'] : [])].map((name) => ({
      name,
      description: `${name} methods`,
    })),
    paths,
    components: { securitySchemes: facts.securitySchemes },
    'x-accord-level': input.level,
  };
}
