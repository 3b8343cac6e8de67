import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Level } from '../../src/spec/levels.js';
import { scratchDir, writtenDocument } from './documents.js';

/** nymea's notifications as an AsyncAPI 3.0 document, read by the AsyncAPI parser. */
const LEVELS_USED: readonly Level[] = ['must', 'quirk'];
const dir = scratchDir('asyncapi');
const files = new Map<Level, string>();

beforeAll(async () => {
  for (const level of LEVELS_USED) files.set(level, (await writtenDocument(dir, 'nymea', 'asyncapi', level)).file);
});

describe.each(LEVELS_USED)('nymea at %s', (level) => {
  test('@asyncapi/parser parses it without errors', async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(files.get(level)!, 'utf8'));
    // Severity 0 is an error in the parser's diagnostics (1 warning, 2 information, 3 hint).
    expect(
      diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code} ${d.message} at ${d.path.join('.')}`),
    ).toEqual([]);
    expect(document).toBeDefined();
  });

  test('TCP and WebSocket channels, each sent notification received on both, the push-button flow', async () => {
    const { document } = await new Parser().parse(readFileSync(files.get(level)!, 'utf8'));
    const channels = document!
      .channels()
      .all()
      .map((c) => c.id());
    expect(channels).toEqual(['tcp', 'websocket']);
    const received = document!
      .operations()
      .filterByReceive()
      .map((o) => String(o.id()));
    for (const name of [
      'Users_UserAdded',
      'Users_UserChanged',
      'Users_UserRemoved',
      'JSONRPC_PushButtonAuthFinished',
    ]) {
      expect(received).toContain(`receive_${name}_tcp`);
      expect(received).toContain(`receive_${name}_websocket`);
    }
    // Declared by the introspection data, never sent: a message, but nothing receives it.
    expect(received.some((id) => id.includes('Users_PushButtonAuthFinished'))).toBe(false);
    const sent = document!
      .operations()
      .filterBySend()
      .map((o) => String(o.id()));
    expect(sent).toContain('send_JSONRPC_RequestPushButtonAuth_tcp');
    expect(sent).toContain('send_JSONRPC_SetNotificationStatus_websocket');
    const flows = document!.info().extensions().get('x-accord-flows')?.value() as { id: string }[];
    expect(flows.map((f) => f.id)).toEqual(['push-button']);
  });
});
