import type { AsyncApiFacts, ChannelFacts, NotificationFacts } from '../spec/export-facts.js';
import { infoOf, plain, resultAt, keyOf, type AnyMethod, type ExportInput, type JsonObject } from './common.js';

const ref = ($ref: string) => ({ $ref });

function notificationMessage(n: NotificationFacts, input: ExportInput): JsonObject {
  return {
    name: n.name,
    title: n.name,
    summary: n.description || n.name,
    description: `Sent to ${n.to}.${n.sent ? '' : ' Never sent by the real server.'} See ${n.see}.`,
    payload: {
      type: 'object',
      required: ['id', 'notification', 'params'],
      properties: {
        id: { type: 'integer', description: 'server-wide notification counter' },
        notification: { type: 'string', const: n.name },
        params: plain(input.level === 'must' ? n.payload : n.payloadExact),
      },
    },
    'x-accord-sent': n.sent,
    'x-accord-to': n.to,
  };
}

function requestMessage(method: AnyMethod): JsonObject {
  return {
    name: method.name,
    title: `${method.name} call`,
    summary: method.summary,
    payload: {
      type: 'object',
      required: ['id', 'method'],
      properties: {
        id: { type: 'integer' },
        method: { type: 'string', const: method.name },
        params: plain(method.params),
        token: { type: 'string' },
      },
    },
  };
}

function replyMessage(method: AnyMethod, input: ExportInput): JsonObject {
  return {
    name: `${method.name} reply`,
    title: `${method.name} reply`,
    payload: {
      type: 'object',
      required: ['id', 'status'],
      properties: {
        id: { type: 'integer' },
        status: { type: 'string', const: 'success' },
        params: plain(resultAt(method.result, input.level, input.variant)),
      },
    },
  };
}

/** Methods a client sends in the document: the subscription, and those the flows call. */
function clientMethods(facts: AsyncApiFacts, input: ExportInput): AnyMethod[] {
  const names = [
    facts.subscription.method,
    ...facts.flows.flatMap((f) => f.steps.filter((s) => s.send === 'client').map((s) => s.message)),
  ];
  return [...new Set(names)].map((name) => {
    const method = input.protocol.methods.find((m) => m.name === name);
    if (!method)
      throw new Error(`${input.protocol.id}'s AsyncAPI facts name the method ${name}, which it does not declare`);
    return method;
  });
}

function channelOf(channel: ChannelFacts, facts: AsyncApiFacts, methods: readonly AnyMethod[]): JsonObject {
  const messages: JsonObject = {};
  for (const n of facts.notifications) messages[keyOf(n.name)] = ref(`#/components/messages/${keyOf(n.name)}`);
  for (const m of methods) {
    messages[`${keyOf(m.name)}_call`] = ref(`#/components/messages/${keyOf(m.name)}_call`);
    messages[`${keyOf(m.name)}_reply`] = ref(`#/components/messages/${keyOf(m.name)}_reply`);
  }
  return {
    address: null,
    title: channel.id,
    description: channel.description,
    servers: [ref(`#/servers/${channel.id}`)],
    messages,
  };
}

function operationsOf(
  channel: ChannelFacts,
  facts: AsyncApiFacts,
  methods: readonly AnyMethod[],
): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  const chan = `#/channels/${channel.id}`;
  for (const n of facts.notifications) {
    if (!n.sent) continue;
    out[`receive_${keyOf(n.name)}_${channel.id}`] = {
      action: 'receive',
      channel: ref(chan),
      summary: `${n.name} over ${channel.id}`,
      description: `Who receives it: ${n.to}. ${facts.subscription.says}`,
      messages: [ref(`${chan}/messages/${keyOf(n.name)}`)],
    };
  }
  for (const m of methods) {
    out[`send_${keyOf(m.name)}_${channel.id}`] = {
      action: 'send',
      channel: ref(chan),
      summary: m.summary,
      messages: [ref(`${chan}/messages/${keyOf(m.name)}_call`)],
      reply: { channel: ref(chan), messages: [ref(`${chan}/messages/${keyOf(m.name)}_reply`)] },
    };
  }
  return out;
}

/** An AsyncAPI 3.0 document of a protocol's notifications, the subscription that selects them, and its flows. */
export function asyncApiDocument(input: ExportInput): JsonObject {
  const { protocol } = input;
  const facts = protocol.exportAs?.asyncapi;
  if (!protocol.exportAs || !facts)
    throw new Error(`${protocol.id} declares no AsyncAPI facts: it sends no notifications`);
  const methods = clientMethods(facts, input);
  const messages: JsonObject = {};
  for (const n of facts.notifications) messages[keyOf(n.name)] = notificationMessage(n, input);
  for (const m of methods) {
    messages[`${keyOf(m.name)}_call`] = requestMessage(m);
    messages[`${keyOf(m.name)}_reply`] = replyMessage(m, input);
  }
  const servers: JsonObject = {};
  for (const c of facts.channels) {
    const url = new URL(c.address);
    servers[c.id] = { host: url.host, protocol: c.protocol, description: c.description };
  }
  return {
    asyncapi: '3.0.0',
    info: infoOf(input, {
      title: `${protocol.title}: notifications`,
      about: [facts.subscription.says],
      generated: `at level ${input.level}`,
      extensions: { 'x-accord-envelope': facts.envelope, 'x-accord-flows': facts.flows },
    }),
    servers,
    channels: Object.fromEntries(facts.channels.map((c) => [c.id, channelOf(c, facts, methods)])),
    operations: Object.assign({}, ...facts.channels.map((c) => operationsOf(c, facts, methods))),
    components: { messages },
  };
}
