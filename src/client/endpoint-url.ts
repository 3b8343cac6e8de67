import type { EndpointSpec } from '../spec/protocol.js';

/** A target URL taken apart: the base every request path is added to, and the endpoint a person reads. */
export interface TargetUrl {
  readonly base: string;
  readonly endpoint: string;
}

/**
 * Accept the base URL and the endpoint URL alike, as users copy them from a server's settings page or
 * docs: `https://host/kanboard` and `https://host/kanboard/jsonrpc.php` name the same target. Returns why
 * not, in words, for a URL no request could go to.
 */
export function targetUrl(given: string, endpoint: EndpointSpec): TargetUrl | { readonly problem: string } {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return { problem: `is not a URL: ${given}` };
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!endpoint.schemes.includes(scheme)) {
    return {
      problem: `${given}: the protocol is spoken over ${endpoint.schemes.map((s) => `${s}://`).join(', ')}, not ${scheme}://`,
    };
  }
  // Credentials in the URL would be printed in every banner and report: they go in the flags instead.
  if (url.username !== '' || url.password !== '')
    return { problem: 'carries a user name or password: give credentials with their flags' };
  if (url.search !== '' || url.hash !== '')
    return { problem: `${url.origin}${url.pathname}: leave out the ${url.search ? 'query' : 'fragment'}` };
  let path = url.pathname.replace(/\/+$/, '');
  if (endpoint.path !== '' && (path === endpoint.path || path.endsWith(endpoint.path)))
    path = path.slice(0, -endpoint.path.length);
  // `${protocol}//${host}`: URL.origin is "null" for tcp:// and ws:// URLs.
  const base = `${url.protocol}//${url.host}${path}`;
  return { base, endpoint: base + endpoint.path };
}

/** The endpoint of a base URL, for banners. */
export function endpointOf(base: string, endpoint: EndpointSpec): string {
  return base + endpoint.path;
}
