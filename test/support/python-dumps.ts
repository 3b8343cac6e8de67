import { dumpPythonJson } from '../../src/wire/python-json.js';

/** Python's json.dumps with its defaults (`", "`, `": "`, keys in their order, non-ASCII as \uXXXX): what Python clients send. */
export const pyDumps = (value: unknown): string => dumpPythonJson(value, { separators: [', ', ': '], sortKeys: false });
