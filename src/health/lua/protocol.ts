// What LuaHealthRunner sends its worker thread and gets back (inside the messages of worker/protocol.ts).
import { isRecord } from '../../api/object.js';
import type { LuaCheckResult } from './sandbox.js';

export interface LuaHealthJob {
  readonly source: string;
  /** The script also gets `string`, `math` and `coroutine` (Argo CD's useOpenLibs). */
  readonly openLibs: boolean;
  /** The object the script sees as `obj`. */
  readonly object: unknown;
}

export function isLuaHealthJob(value: unknown): value is LuaHealthJob {
  return isRecord(value) && typeof value['source'] === 'string' && typeof value['openLibs'] === 'boolean' && 'object' in value;
}

export function isLuaCheckResult(value: unknown): value is LuaCheckResult {
  if (!isRecord(value)) return false;
  if (value['kind'] === 'error') return typeof value['message'] === 'string' && (value['limit'] === undefined || value['limit'] === true);
  return value['kind'] === 'returned'
    && (value['status'] === undefined || typeof value['status'] === 'string')
    && (value['message'] === undefined || typeof value['message'] === 'string');
}
