import type { ReferenceSources } from '../../spec/protocol.js';

const CODE = 'https://github.com/nymea/nymea/blob/1.15.2';

/** Where a user can read what each section of reference/nymea.md rests on: nymea's source at tag 1.15.2. */
export const sources: ReferenceSources = {
  '': [`${CODE}/libnymea-core/jsonrpc/usershandler.cpp`],
  '§1': [`${CODE}/libnymea-core/servers/tcpserver.cpp`, `${CODE}/libnymea-core/servers/websocketserver.cpp`],
  '§2': [`${CODE}/libnymea-core/jsonrpc/jsonrpcserverimplementation.cpp`],
  '§3': [
    `${CODE}/libnymea-core/jsonrpc/jsonrpcserverimplementation.cpp`,
    `${CODE}/libnymea-core/jsonrpc/jsonvalidator.cpp`,
  ],
  '§4': [
    `${CODE}/libnymea-core/jsonrpc/jsonrpcserverimplementation.cpp`,
    `${CODE}/libnymea-core/usermanager/usermanager.cpp`,
  ],
  '§5': [`${CODE}/libnymea/typeutils.h`, `${CODE}/libnymea-core/usermanager/usermanager.cpp`],
  '§6': [`${CODE}/libnymea-core/jsonrpc/usershandler.cpp`, `${CODE}/libnymea-core/usermanager/usermanager.cpp`],
  '§7': [
    `${CODE}/libnymea-core/jsonrpc/usershandler.cpp`,
    `${CODE}/libnymea-core/jsonrpc/jsonrpcserverimplementation.cpp`,
  ],
  '§8': [`${CODE}/libnymea-core/jsonrpc/jsonvalidator.cpp`],
  '§9': [`${CODE}/libnymea-core/jsonrpc/jsonrpcserverimplementation.cpp`],
  '§10': [`${CODE}/doc/jsonrpc.qdoc`],
  '§11': [`${CODE}/tests/auto/jsonrpc/testjsonrpc.cpp`, `${CODE}/tests/auto/usermanager/testusermanager.cpp`],
};
