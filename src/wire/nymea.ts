import { parseQtJson, qtCompact } from './qt-json.js';
import { byteLength } from './text.js';

/**
 * nymea JSON-RPC, both directions (reference: nymea.md §1–§3, §7):
 * - framing: every message the server writes is compact JSON (keys in alphabetical order, as Qt writes a
 *   QVariantMap) followed by `\n`, on TCP and in each WebSocket text frame alike. Inbound bytes go to one
 *   buffer per connection, cut at each exact `}\n{`; a rest that ends in `}` (whitespace trimmed) is a packet
 *   too; a buffer past 1 MiB with nothing to process closes the connection.
 * - envelopes: `{id, params, status: "success"}`, `{error, id, status: "error" | "unauthorized"}`,
 *   `{id, notification, params}`; the token is a top-level request field, never inside params.
 * - the first three checks of every packet (JSON, id, method shape) with their exact texts; the rest of
 *   the order of checks belongs to the server's state and lives with it.
 */

// ---------------------------------------------------------------- texts (nymea.md §3, §8)

export const TEXT = {
  parseError: (qtMessage: string) => `Failed to parse JSON data: ${qtMessage}`,
  missingId: "Error parsing command. Missing 'id'",
  // The doubled quote after the method is in nymea's format string.
  badMethod: (method: string) => `Error parsing method. Got: '${method}'', Expected: 'Namespace.method'`,
  tokenChange: 'Changing the user (token) requires a new handshake. Call JSONRPC.Hello.',
  initialSetup: 'Initial setup required. Call JSONRPC.CreateUser first.',
  invalidToken: 'Forbidden: Invalid token.',
  permissionDenied: 'Permission denied.',
  noNamespace: 'No such namespace',
  noMethod: 'No such method',
  handshakeRequired: 'Handshake required. Call JSONRPC.Hello first.',
  invalidParams: (reason: string, where: string) => `Invalid params: ${reason} in ${where}`,
  missingKey: (key: string, method: string) =>
    `Invalid params: Missing required key: ${key} in ${method}, param ${key}`,
  // The where part is empty after "param ": the trailing space is real.
  invalidKey: (key: string, method: string) => `Invalid params: Invalid key: ${key} in ${method}, param `,
  expectedFlags: (flags: string, got: string, method: string, key: string) =>
    `Invalid params: Expected flags ${flags} but got ${got} in ${method}, param ${key}.`,
  expectedEnum: (enumName: string, got: string, method: string, key: string) =>
    `Invalid params: Expected enum value for ${enumName} but got ${got} in ${method}, param ${key}.`,
} as const;

/** The parse error reply's id, and the id of a request without a usable one. */
export const PARSE_ERROR_ID = -1;
export const MISSING_ID = 0;

/** The inbound buffer's limit: past it, with nothing processed, the connection is closed without a word. */
export const MAX_BUFFER_BYTES = 1024 * 1024;

// ---------------------------------------------------------------- inbound framing

/** One connection's inbound buffer, re-framed exactly as nymea does (nymea.md §1). */
export class Reframer {
  #buffer = '';
  #bytes = 0;

  /** Append text; returns the packets it completes and whether the buffer is now over the limit. */
  push(text: string): { packets: string[]; overflow: boolean } {
    this.#buffer += text;
    const packets: string[] = [];
    let split = this.#buffer.indexOf('}\n{');
    while (split >= 0) {
      packets.push(this.#buffer.slice(0, split + 1));
      this.#buffer = this.#buffer.slice(split + 2);
      split = this.#buffer.indexOf('}\n{');
    }
    if (this.#buffer.trim().endsWith('}')) {
      packets.push(this.#buffer);
      this.#buffer = '';
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8: a short buffer need not be counted.
    this.#bytes = this.#buffer.length * 3 <= MAX_BUFFER_BYTES ? 0 : byteLength(this.#buffer);
    return { packets, overflow: this.#bytes > MAX_BUFFER_BYTES };
  }

  get pending(): string {
    return this.#buffer;
  }
}

// ---------------------------------------------------------------- decoding a packet (§3 steps 1–3)

export type Decoded =
  | { readonly kind: 'parse-error'; readonly error: string }
  | { readonly kind: 'no-id' }
  | { readonly kind: 'bad-method'; readonly id: number; readonly method: string }
  | { readonly kind: 'request'; readonly id: number; readonly request: NymeaRequest };

export interface NymeaRequest {
  readonly id: number;
  /** `Users.CreateUser` */
  readonly name: string;
  readonly namespace: string;
  readonly method: string;
  /** Anything but an object is read as `{}`. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The top-level token; absent counts as empty. */
  readonly token: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TWO_32 = 2 ** 32;
const TWO_63 = 2 ** 63;

/** The low 32 bits of a whole number, as a signed int (C++'s cast of a qint64 to int). */
function lowInt32(n: number): number {
  const low = ((n % TWO_32) + TWO_32) % TWO_32;
  return low >= 2 ** 31 ? low - TWO_32 : low;
}

/**
 * QVariant::toInt as Qt 5 does it (a real nymead 1.15.2 shows every case): a number is rounded half up
 * (qRound64) to a qint64 and cut to its low 32 bits, so 2147483648 is -2147483648, 1e10 is 1410065408 and
 * 1.5 is 2; past the qint64 range (1e300) it is 0. Booleans are 1/0. A string is read as a qint64
 * (QString::toLongLong: surrounding whitespace, a sign, decimal digits) and cut the same way; anything else
 * ("1.5", "", "0x10"), lists, maps and null fail. (A JSON integer above 2^53 has already lost its last
 * digits in JavaScript; Qt keeps them.)
 */
export function qtToInt(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const rounded = Math.floor(value + 0.5);
    return rounded >= TWO_63 || rounded < -TWO_63 ? 0 : lowInt32(rounded);
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    const big = BigInt(value.trim());
    if (big >= 2n ** 63n || big < -(2n ** 63n)) return undefined;
    return Number(BigInt.asIntN(32, big));
  }
  return undefined;
}

/**
 * QVariant::toString of a JSON number as a real nymead 1.15.2 (Qt 5.15) writes it. Qt keeps a whole number of
 * the qint64 range as an integer (QJsonValue does, for a double too: 1e18 is "1000000000000000000", and
 * 12345678901234e5 the double's exact value "1234567890123399936"); any other is a double written
 * QString::number(d, 'g', shortest): the shortest digits, in decimal form unless the exponent form is
 * shorter (bias 4: 0.0001 but 1e-05, 1.2345678901234568e20 in full but 1.5e+20), the exponent with a sign
 * and at least two digits.
 */
export function qtNumberToString(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && n >= -TWO_63 && n < TWO_63) return BigInt(n).toString();
  const [mantissa = '', exponent = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const decpt = Number(exponent) + 1;
  const bias = 4;
  const decimal = decpt <= 0 ? 1 - decpt <= bias : decpt <= digits.length || decpt <= digits.length + bias;
  let text: string;
  if (!decimal) {
    const x = decpt - 1;
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    text = `${digits[0]}${rest}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  } else if (decpt <= 0) text = `0.${'0'.repeat(-decpt)}${digits}`;
  else if (decpt >= digits.length) text = `${digits}${'0'.repeat(decpt - digits.length)}`;
  else text = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  return n < 0 ? `-${text}` : text;
}

/** QVariant::toString for the scalars a client may send; lists, maps and null give "". */
export function qtToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return qtNumberToString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return '';
}

/** QVariant::toBool: numbers are true unless 0; text is true unless "", "0" or "false" (any case); lists, maps and null are false. */
export function qtToBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return !(value === '' || value === '0' || value.toLowerCase() === 'false');
  return false;
}

export function decodePacket(packet: string): Decoded {
  const parsed = parseQtJson(packet);
  if (!parsed.ok) return { kind: 'parse-error', error: parsed.error };
  // A document that is a list reads as an empty map: no id.
  const message = isObject(parsed.value) ? parsed.value : {};
  const id = qtToInt(message['id']);
  if (id === undefined) return { kind: 'no-id' };
  const method = qtToString(message['method']);
  const parts = method.split('.');
  if (parts.length !== 2) return { kind: 'bad-method', id, method };
  const params = isObject(message['params']) ? message['params'] : {};
  return {
    kind: 'request',
    id,
    request: {
      id,
      name: method,
      namespace: parts[0] as string,
      method: parts[1] as string,
      params,
      token: qtToString(message['token']),
    },
  };
}

// ---------------------------------------------------------------- outbound messages

export type NymeaReply =
  | { readonly id: number; readonly status: 'success'; readonly params: Readonly<Record<string, unknown>> }
  | { readonly id: number; readonly status: 'error' | 'unauthorized'; readonly error: string };

export interface NymeaNotification {
  readonly id: number;
  readonly notification: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export const success = (id: number, params: Readonly<Record<string, unknown>>): NymeaReply => ({
  id,
  status: 'success',
  params,
});
export const failure = (id: number, error: string): NymeaReply => ({ id, status: 'error', error });
export const unauthorized = (id: number, error: string): NymeaReply => ({ id, status: 'unauthorized', error });

/** A message as nymea writes it: Qt compact JSON, keys sorted, then a newline. */
export function frame(message: NymeaReply | NymeaNotification): string {
  return `${envelope(message as Readonly<Record<string, unknown>>) ?? qtCompact(message)}\n`;
}

/**
 * The three envelopes with their keys in Qt's order, written without sorting them (one per message);
 * undefined for any other object (a fault's), which qtCompact writes. The same bytes either way.
 */
function envelope(m: Readonly<Record<string, unknown>>): string | undefined {
  const { id, params, status, error, notification } = m;
  if (id === undefined || Object.keys(m).length !== 3) return undefined;
  if (params !== undefined && status !== undefined)
    return `{"id":${qtCompact(id)},"params":${qtCompact(params)},"status":${qtCompact(status)}}`;
  if (error !== undefined && status !== undefined)
    return `{"error":${qtCompact(error)},"id":${qtCompact(id)},"status":${qtCompact(status)}}`;
  if (notification !== undefined && params !== undefined)
    return `{"id":${qtCompact(id)},"notification":${qtCompact(notification)},"params":${qtCompact(params)}}`;
  return undefined;
}

// ---------------------------------------------------------------- client side

export interface NymeaCall {
  readonly id: unknown;
  readonly method: string;
  readonly params?: unknown;
  /** Absent or empty: no token field at all. */
  readonly token?: string;
}

/** A request line as a client writes it: one JSON object and a newline. */
export function encodeCall(call: NymeaCall): string {
  const message: Record<string, unknown> = { id: call.id, method: call.method };
  if (call.params !== undefined) message['params'] = call.params;
  if (call.token) message['token'] = call.token;
  return `${JSON.stringify(message)}\n`;
}

/** A reply, as opposed to a notification: it has a status. */
export function isReply(message: unknown): message is Record<string, unknown> & { status: unknown } {
  return isObject(message) && 'status' in message;
}

export function isNotification(message: unknown): message is Record<string, unknown> & { notification: unknown } {
  return isObject(message) && 'notification' in message && !('status' in message);
}
