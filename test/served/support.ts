import net from 'node:net';

/** One state-changing request per protocol, made as an app would (the seed's admin, or nymea's initial setup). */
export async function makeAChange(protocol: string, url: string, given: Record<string, unknown>): Promise<void> {
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }).then((r) => r.text());
  switch (protocol) {
    case 'kanboard':
      await post(
        '/jsonrpc.php',
        { jsonrpc: '2.0', id: 1, method: 'createUser', params: { username: 'jane', password: 'secret123' } },
        { authorization: `Basic ${btoa('admin:admin')}` },
      );
      return;
    case 'octoprint':
      await post(
        '/api/access/users',
        { name: 'jane', password: 'secret', groups: ['users'], permissions: [], active: true },
        { 'x-api-key': String(given['adminKey']) },
      );
      return;
    case 'octoprint-1.3':
      await post(
        '/api/users',
        { name: 'jane', password: 'secret', active: true },
        { 'x-api-key': String(given['adminKey']) },
      );
      return;
    case 'rhodecode':
      await post(
        '/_admin/api',
        {
          id: 1,
          auth_token: given['adminToken'],
          method: 'create_user',
          args: { username: 'jane', email: 'jane@example.com', password: 'secret123' },
        },
        {},
      );
      return;
    case 'nymea':
      await nymeaCalls(url, [
        { id: 1, method: 'JSONRPC.Hello' },
        { id: 2, method: 'JSONRPC.CreateUser', params: { username: 'jane', password: 'Secret123!' } },
      ]);
      return;
    default:
      throw new Error(`no change known for ${protocol}`);
  }
}

/** Send nymea JSON-RPC messages over TCP one after the other; the replies, in order. */
export function nymeaCalls(url: string, messages: readonly object[]): Promise<Record<string, unknown>[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const replies: Record<string, unknown>[] = [];
    let buffer = '';
    const sendNext = () => {
      const next = messages[replies.length];
      if (next) socket.write(`${JSON.stringify(next)}\n`);
      else {
        socket.end();
        resolve(replies);
      }
    };
    socket.on('connect', sendNext);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const message = JSON.parse(line) as Record<string, unknown>;
        if (message['id'] === undefined) continue; // a notification
        replies.push(message);
        sendNext();
      }
    });
  });
}
