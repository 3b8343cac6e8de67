/**
 * nymea's records (UserInfo, TokenInfo, …) are not written by hand: they are the object types of the API dump
 * (nymea-users-api.json, read by api.ts), made into schemas for each method by schemas.ts.
 */
export { objectSchema, schemaOf } from './schemas.js';
