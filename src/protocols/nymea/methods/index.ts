import { jsonrpcMethods } from './jsonrpc.js';
import { usersMethods } from './users.js';

/** Every declared method: the JSONRPC namespace the Users methods depend on, then Users (nymea.md §4, §6). */
export const methods = [...jsonrpcMethods, ...usersMethods];
