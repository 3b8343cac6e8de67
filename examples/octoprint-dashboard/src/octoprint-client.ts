/**
 * A small stand-in for OctoPrint's JS client (`new OctoPrintClient({ baseurl, apikey })`, seed 000): one
 * instance per server, each with its own base URL and key, sending exactly what the real 1.4–1.11 client
 * sends (octoprint.md §5): JSON with `application/json; charset=UTF-8`, the key in X-Api-Key, undefined
 * fields as null, and `admin` in add/update although the server ignores it.
 */
export interface UserRecord {
  readonly name: string;
  readonly active: boolean;
  readonly admin: boolean;
  readonly groups: readonly string[];
  readonly permissions: readonly string[];
  readonly apikey: string | null;
}

export class OctoPrintError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    /** What accord's mock says was wrong with the request, if anything. */
    readonly diagnostic: string | null,
  ) {
    super(`HTTP ${status}: ${error}`);
  }
}

export class OctoPrintClient {
  constructor(readonly options: { readonly baseurl: string; readonly apikey: string }) {}

  private async request<T>(method: string, path: string, data?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'X-Api-Key': this.options.apikey };
    let body: string | undefined;
    if (data !== undefined) {
      headers['Content-Type'] = 'application/json; charset=UTF-8';
      headers['Cache-Control'] = 'no-cache';
      body = JSON.stringify(data, (_k, v: unknown) => (v === undefined ? null : v));
    }
    const response = await fetch(`${this.options.baseurl}/${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok)
      throw new OctoPrintError(
        response.status,
        String(json['error'] ?? response.statusText),
        response.headers.get('x-accord-diagnostic'),
      );
    return json as T;
  }

  readonly access = {
    users: {
      list: () => this.request<{ users: UserRecord[] }>('GET', 'api/access/users'),
      add: (user: {
        name: string;
        password: string;
        groups?: string[];
        permissions?: string[];
        active?: boolean;
        admin?: boolean;
      }) =>
        this.request<{ users: UserRecord[] }>('POST', 'api/access/users', {
          name: user.name,
          password: user.password,
          groups: user.groups ?? [],
          permissions: user.permissions ?? [],
          active: Boolean(user.active ?? true),
          admin: Boolean(user.admin ?? false),
        }),
      /** 1.4–1.11 signature: admin is the 3rd argument (octoprint.md §0). */
      update: (
        name: string,
        active: boolean,
        admin: boolean,
        permissions: readonly string[],
        groups: readonly string[],
      ) =>
        this.request<{ users: UserRecord[] }>('PUT', `api/access/users/${name}`, {
          active: Boolean(active),
          groups,
          permissions,
          admin: Boolean(admin),
        }),
      delete: (name: string) => this.request<{ users: UserRecord[] }>('DELETE', `api/access/users/${name}`),
    },
  };
}
