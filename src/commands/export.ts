import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { protocolById, protocols } from '../protocols/index.js';
import type { ProtocolSpec } from '../spec/protocol.js';
import { CliError, EXIT } from './cli-error.js';

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
export function runExport(protocolArg: string | undefined, options: { out?: string }, out: (line: string) => void): number {
  if (protocolArg !== undefined && !protocolById(protocolArg)) throw new CliError(`unknown protocol "${protocolArg}"; known: ${Object.keys(protocols).join(', ')}`);
  const dir = options.out ?? 'schemas';
  mkdirSync(dir, { recursive: true });
  for (const id of protocolArg ? [protocolArg] : Object.keys(protocols)) {
    const file = join(dir, `${id}.schema.json`);
    writeFileSync(file, `${JSON.stringify(exportProtocol(protocols[id] as ProtocolSpec<unknown, unknown>), null, 2)}\n`);
    out(`wrote ${file}`);
  }
  return EXIT.ok;
}
