import autocannon from 'autocannon';
import type { HttpRequestData } from '../src/wire/http.js';

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

/**
 * autocannon against one server: 20 connections for `seconds`. A `seq` token in the body is replaced by
 * a fresh number on every request (so that writes create distinct objects).
 */
/** Numbers go on from one load to the next (a load in rounds must not create the same object twice). */
let n = 0;

export async function load(
  baseUrl: string,
  request: HttpRequestData,
  seconds: number,
  seq?: string,
): Promise<LoadResult> {
  const result = await autocannon({
    url: baseUrl,
    connections: 20,
    duration: seconds,
    requests: [
      {
        method: request.method as 'POST',
        path: request.url,
        headers: Object.fromEntries(
          Object.entries(request.headers).filter(([k]) => k !== 'content-length' && k !== 'host'),
        ),
        body: request.body,
        ...(seq
          ? {
              setupRequest: (req: autocannon.Request) => {
                n += 1;
                return { ...req, body: request.body.split(seq).join(String(n)) };
              },
            }
          : {}),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
