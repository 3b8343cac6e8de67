/**
 * REST routing, both directions: path templates with `{param}` placeholders, matched the way Werkzeug's
 * default converter matches `<param>` (one or more characters, never `/`, after the path is percent-decoded),
 * and filled by clients (each value percent-encoded, so a name with `/` stays one segment on the wire).
 */

export type Verb = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface PathTemplate {
  readonly template: string;
  readonly names: readonly string[];
  /** The parameters of a decoded path, or undefined when it does not match. */
  match(decodedPath: string): Readonly<Record<string, string>> | undefined;
  /** The path with each placeholder replaced by its percent-encoded value; throws on a missing one. */
  fill(params: Readonly<Record<string, unknown>>): string;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function pathTemplate(template: string): PathTemplate {
  const names: string[] = [];
  let source = '^';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(template.slice(last, m.index));
    source += '([^/]+)';
    names.push(m[1] as string);
    last = (m.index ?? 0) + m[0].length;
  }
  source += `${escapeRegExp(template.slice(last))}$`;
  const pattern = new RegExp(source);
  return {
    template,
    names,
    match(decodedPath) {
      const m = pattern.exec(decodedPath);
      if (!m) return undefined;
      return Object.fromEntries(names.map((n, i) => [n, m[i + 1] as string]));
    },
    fill(params) {
      return template.replace(PLACEHOLDER, (_all, name: string) => {
        if (!(name in params)) throw new Error(`no value for {${name}} in ${template}`);
        return encodeURIComponent(String(params[name]));
      });
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Percent-decode a path as a WSGI server does before routing; undefined when it is not valid UTF-8. */
export function decodePath(path: string): string | undefined {
  // Without a percent sign there is nothing to decode (and nothing that could fail to decode).
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

/** The path of a request URL (`/a/b?x=1`): what splitUrl gives, without parsing the query. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The path and the query parameters of a request URL (`/a/b?x=1`), the query decoded as a form would be. */
export function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  return q < 0
    ? { path: url, query: new URLSearchParams() }
    : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

/** How many answers a router keeps (see RestRouter), for paths up to so many characters: a bounded memory. */
const RESOLVED_KEPT = 1024;
const RESOLVED_PATH_CHARS = 256;

function frozenMatch<T>(match: RouteMatch<T>): RouteMatch<T> {
  if (match.kind === 'found') Object.freeze(match.params);
  if (match.kind === 'method-not-allowed') Object.freeze(match.allowed);
  return Object.freeze(match);
}

export type RouteMatch<H> =
  | {
      readonly kind: 'found';
      readonly handler: H;
      readonly params: Readonly<Record<string, string>>;
      readonly template: string;
    }
  /** The path exists for other verbs: Werkzeug answers 405 with an Allow header. */
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

/**
 * A route table in the order routes were added. HEAD is answered by GET routes and OPTIONS by every path,
 * as Flask does for each rule unless told otherwise.
 */
export class RestRouter<H> {
  readonly #routes: { verb: Verb; path: PathTemplate; handler: H }[] = [];
  /**
   * The answers lately given, by verb and path: a client asks for the same few paths over and over, and each
   * answer is worked out by trying the routes in turn. Frozen (they are shared); forgotten when a route is
   * added, and all at once past a bound (paths with names in them are as many as the names); long paths are
   * not kept.
   */
  readonly #resolved = new Map<string, RouteMatch<H>>();

  add(verb: Verb, template: string, handler: H): this {
    this.#routes.push({ verb, path: pathTemplate(template), handler });
    this.#resolved.clear();
    return this;
  }

  resolve(method: string, decodedPath: string): RouteMatch<H> {
    if (decodedPath.length > RESOLVED_PATH_CHARS) return frozenMatch(this.#resolve(method, decodedPath));
    const key = `${method} ${decodedPath}`;
    let match = this.#resolved.get(key);
    if (match === undefined) {
      if (this.#resolved.size >= RESOLVED_KEPT) this.#resolved.clear();
      match = frozenMatch(this.#resolve(method, decodedPath));
      this.#resolved.set(key, match);
    }
    return match;
  }

  #resolve(method: string, decodedPath: string): RouteMatch<H> {
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const params = route.path.match(decodedPath);
      if (!params) continue;
      if (route.verb === method || (method === 'HEAD' && route.verb === 'GET'))
        return { kind: 'found', handler: route.handler, params, template: route.path.template };
      allowed.add(route.verb);
      if (route.verb === 'GET') allowed.add('HEAD');
    }
    if (allowed.size === 0) return { kind: 'not-found' };
    allowed.add('OPTIONS');
    return { kind: 'method-not-allowed', allowed: [...allowed] };
  }
}
