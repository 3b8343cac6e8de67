import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startMock } from '../../mock/server.js';
import { EXPORT_FORMATS, exportDocument, formatsOf, type ExportFormat } from '../export/index.js';
import { recordReplies, type Recording } from '../export/record.js';
import { readFixtures } from '../fixtures/files.js';
import { checkedMockDialect, protocolById, protocols } from '../protocols/index.js';
import { isLevel, LEVELS, type Level } from '../spec/levels.js';
import type { ProtocolSpec } from '../spec/protocol.js';
import { givenVariant, type VariantChoice } from '../spec/variant.js';
import { CliError, EXIT } from './cli-error.js';
import { FIXTURES_ROOT } from './version.js';

/** A protocol's declarations as plain JSON Schema documents, for other tools (validators, generators). */
export function exportProtocol(protocol: ProtocolSpec<unknown, unknown>): unknown {
  return {
    $comment: `accord export of ${protocol.title}; reference ${protocol.reference}`,
    protocol: protocol.id,
    title: protocol.title,
    methods: protocol.methods.map((m) => ({
      name: m.name,
      group: m.group,
      summary: m.summary,
      see: m.see,
      ...(m.route ? { route: m.route } : {}),
      access: m.access.term,
      params: m.params,
      result: m.result,
      errors: m.errors.map((e) => ({ id: e.id, says: e.says, level: e.level, see: e.see })),
      examples: m.examples,
    })),
  };
}

/** `accord export [protocol] --out DIR`: one <protocol>.schema.json per protocol. */
export function runExport(
  protocolArg: string | undefined,
  options: { out?: string; variant?: string },
  out: (line: string) => void,
): number {
  // accord's own JSON holds the declarations, the same for every variant: nothing is recorded.
  if (options.variant !== undefined)
    throw new CliError(
      "--variant goes with --format (the wire forms it records); accord's own JSON is the same for every variant",
    );
  if (protocolArg !== undefined && !protocolById(protocolArg))
    throw new CliError(`unknown protocol "${protocolArg}"; known: ${Object.keys(protocols).join(', ')}`);
  const dir = options.out ?? 'schemas';
  mkdirSync(dir, { recursive: true });
  for (const id of protocolArg ? [protocolArg] : Object.keys(protocols)) {
    const file = join(dir, `${id}.schema.json`);
    writeFileSync(
      file,
      `${JSON.stringify(exportProtocol(protocols[id] as ProtocolSpec<unknown, unknown>), null, 2)}\n`,
    );
    out(`wrote ${file}`);
  }
  return EXIT.ok;
}

export interface FormatOptions {
  readonly format: string;
  readonly level?: string;
  readonly out?: string;
  /** The variant whose wire forms are recorded (default: the protocol's default variant). */
  readonly variant?: string;
}

/**
 * A protocol's document in one of the ecosystem's formats. The wire forms it shows (error bodies, refusals,
 * example results) are recorded from accord's embedded mock, started fresh on its seed state for this, and
 * answering as `variantId` does (a protocol with variants: its default when none is given).
 */
export async function buildDocument(
  protocolId: string,
  format: ExportFormat,
  level: Level,
  variantId?: string,
): Promise<Record<string, unknown>> {
  const protocol = protocolById(protocolId) as ProtocolSpec<unknown, unknown> | undefined;
  if (!protocol) throw new CliError(`unknown protocol "${protocolId}"; known: ${Object.keys(protocols).join(', ')}`);
  const allowed = formatsOf({ protocol });
  if (!allowed.includes(format))
    throw new CliError(`${protocolId} has no ${format} export; it has: ${allowed.join(', ') || 'none'}`);
  const variant = exportedVariant(protocol, variantId);
  // AsyncAPI shows notification payloads from the declarations alone: no replies to record.
  const recording = format === 'asyncapi' ? {} : await recordFromMock(protocol, variant);
  return exportDocument(
    { protocol, level, recording, fixtures: readFixtures(FIXTURES_ROOT, protocolId), ...(variant ? { variant } : {}) },
    format,
  );
}

/** The variant a document is recorded as: the one asked for (a user mistake when undeclared), else the default. */
function exportedVariant(
  protocol: ProtocolSpec<unknown, unknown>,
  asked: string | undefined,
): VariantChoice | undefined {
  if (asked !== undefined) {
    const choice = givenVariant(protocol.variants, protocol.id, asked);
    if (typeof choice === 'string') throw new CliError(choice);
    return choice;
  }
  const fallback = protocol.variants?.default;
  return fallback === undefined ? undefined : { id: fallback, source: 'default', evidence: 'no --variant given' };
}

async function recordFromMock(
  protocol: ProtocolSpec<unknown, unknown>,
  variant: VariantChoice | undefined,
): Promise<Recording> {
  const mock = await startMock(protocol.id, {
    dialect: checkedMockDialect(protocol.id, { fixed: true, ...(variant ? { variant: variant.id } : {}) }),
  });
  try {
    const given = { ...mock.dialect.given, control: mock.controlUrl };
    return await recordReplies(protocol, {
      name: protocol.id,
      protocol: protocol.id,
      url: mock.url,
      given,
      mock: true,
      ...(variant ? { variant } : {}),
    });
  } finally {
    await mock.close();
  }
}

/** `accord export <protocol> --format openapi|openrpc|asyncapi [--level L] [--out FILE]`: to the file, or stdout. */
export async function runFormatExport(
  protocolArg: string | undefined,
  options: FormatOptions,
  out: (line: string) => void,
): Promise<number> {
  if (protocolArg === undefined)
    throw new CliError(`--format needs a protocol: accord export <protocol> --format ${options.format}`);
  const format = options.format;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new CliError(`unknown format "${format}"; known: ${EXPORT_FORMATS.join(', ')}`);
  const level = options.level ?? 'must';
  if (!isLevel(level)) throw new CliError(`unknown level "${level}"; known: ${LEVELS.join(', ')}`);
  const document = await buildDocument(protocolArg, format as ExportFormat, level, options.variant);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (options.out === undefined) {
    out(text.trimEnd());
    return EXIT.ok;
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, text);
  out(`wrote ${options.out}`);
  return EXIT.ok;
}
