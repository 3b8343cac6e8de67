import { asyncApiDocument } from './asyncapi.js';
import type { ExportFormat, ExportInput, JsonObject } from './common.js';
import { openApiDocument } from './openapi.js';
import { openRpcDocument } from './openrpc.js';

export { EXPORT_FORMATS, type ExportFormat, type ExportInput } from './common.js';

const GENERATORS: Readonly<Record<ExportFormat, (input: ExportInput) => JsonObject>> = {
  openapi: openApiDocument,
  openrpc: openRpcDocument,
  asyncapi: asyncApiDocument,
};

/** The formats a protocol's export facts allow. */
export function formatsOf(input: Pick<ExportInput, 'protocol'>): ExportFormat[] {
  const facts = input.protocol.exportAs;
  return (['openapi', 'openrpc', 'asyncapi'] as const).filter((f) => facts?.[f] !== undefined);
}

export function exportDocument(input: ExportInput, format: ExportFormat): JsonObject {
  return GENERATORS[format](input);
}
