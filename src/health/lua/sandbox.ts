import { LuaFactory, LuaLibraries, LuaReturn, LuaType, type LuaEngine } from 'wasmoon';
import { isRecord } from '../../api/object.js';
import { sandboxBootstrap, timeLimitError } from './bootstrap.js';

export interface LuaSandboxLimits {
  /** A run stops with an error once it has run this long (checked every 1000 Lua instructions). */
  readonly timeoutMs: number;
  /** The state's memory, in bytes: an allocation past it fails as a Lua "not enough memory" error. */
  readonly memoryBytes: number;
}

/** What a script returned: a status and message (each absent when the script gave none), or the error it ended with. */
export type LuaCheckResult =
  | { readonly kind: 'returned'; readonly status?: string; readonly message?: string }
  | { readonly kind: 'error'; readonly message: string; readonly limit?: true };

/** The state is unusable (its WebAssembly instance trapped): the caller must not use it again. */
export class LuaSandboxBroken extends Error {}

/** LUA_OK, as lua_pcallk returns it (wasmoon types it as a plain number). */
const luaOk: number = LuaReturn.Ok;
/** Lua's message for an allocation that failed (here: past the memory limit). */
const memoryError = 'not enough memory';
const countHookMask = 8;
const instructionsPerHook = 1000;
/** Compiled scripts kept; past this the least recently used is dropped (and compiled again if needed). */
const maxCompiled = 512;
/** A JSON value nested deeper than this reaches the script as nil (no Kubernetes object comes near it). */
const maxDepth = 64;

/**
 * One Lua 5.4 state (wasmoon: the reference Lua interpreter built to WebAssembly) in which health
 * scripts run, one at a time, in the environment of ./bootstrap.ts, within a time and a memory
 * limit. Each script is compiled once and cached by its text. It runs synchronously: the caller
 * is a worker thread, which the controller stops if a run outlasts its deadline inside a C
 * function (the instruction hook cannot interrupt a long string match).
 */
export class LuaSandbox {
  private readonly ids = new Map<string, number>();
  private nextId = 1;
  private deadline = Number.POSITIVE_INFINITY;

  private constructor(private readonly engine: LuaEngine, private readonly limits: LuaSandboxLimits) {}

  static async create(limits: LuaSandboxLimits): Promise<LuaSandbox> {
    const engine = await new LuaFactory().createEngine({ openStandardLibs: false, injectObjects: false, enableProxy: false, traceAllocations: true });
    for (const library of [LuaLibraries.Base, LuaLibraries.Table, LuaLibraries.String, LuaLibraries.Math, LuaLibraries.Coroutine, LuaLibraries.OS]) {
      engine.global.loadLibrary(library);
    }
    engine.doStringSync(sandboxBootstrap);
    const sandbox = new LuaSandbox(engine, limits);
    sandbox.installHook();
    engine.global.setMemoryMax(limits.memoryBytes);
    return sandbox;
  }

  /** Runs `source` (compiled on first use) with the global `obj` set to `obj`. */
  run(source: string, openLibs: boolean, obj: unknown): LuaCheckResult {
    const lua = this.engine.global.lua;
    const L = this.engine.global.address;
    this.deadline = Date.now() + this.limits.timeoutMs;
    try {
      const id = this.compiled(source, openLibs);
      if (typeof id === 'string') return { kind: 'error', message: id };
      lua.lua_settop(L, 0);
      this.pushCapstanFunction('run');
      lua.lua_pushinteger(L, BigInt(id));
      this.pushJson(obj, 0);
      const rc = lua.lua_pcallk(L, 2, 3, 0, 0, null);
      if (rc !== luaOk) return this.failure(this.errorAt(-1));
      const error = this.stringAt(-1);
      if (error !== undefined) return this.failure(error);
      const status = this.stringAt(-3);
      const message = this.stringAt(-2);
      return { kind: 'returned', ...(status !== undefined ? { status } : {}), ...(message !== undefined ? { message } : {}) };
    } catch (err) {
      // Not a Lua error but a trap of the WebAssembly instance (its stack exhausted, say).
      throw new LuaSandboxBroken(err instanceof Error ? err.message : String(err));
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
      lua.lua_settop(L, 0);
    }
  }

  /** A run that failed; `limit` when it was stopped by its time or memory limit. */
  private failure(error: string): LuaCheckResult {
    if (error === timeLimitError) return { kind: 'error', message: `${timeLimitError} (${this.limits.timeoutMs} ms)`, limit: true };
    if (error === memoryError) return { kind: 'error', message: `${memoryError} (the limit is ${this.limits.memoryBytes / 1024 / 1024} MiB)`, limit: true };
    return { kind: 'error', message: error };
  }

  /** How many scripts are compiled and kept. */
  get compiledScripts(): number {
    return this.ids.size;
  }

  /** The script's id, compiling it if needed; or the compile error. */
  private compiled(source: string, openLibs: boolean): number | string {
    const key = `${openLibs ? 'open' : 'base'}\n${source}`;
    const known = this.ids.get(key);
    if (known !== undefined) {
      // Most recently used last.
      this.ids.delete(key);
      this.ids.set(key, known);
      return known;
    }
    const lua = this.engine.global.lua;
    const L = this.engine.global.address;
    const id = this.nextId++;
    this.pushCapstanFunction('compile');
    lua.lua_pushinteger(L, BigInt(id));
    lua.lua_pushstring(L, source);
    lua.lua_pushboolean(L, openLibs ? 1 : 0);
    const rc = lua.lua_pcallk(L, 3, 1, 0, 0, null);
    const error = rc === luaOk ? this.stringAt(-1) : this.errorAt(-1);
    lua.lua_settop(L, 0);
    if (error !== undefined) return `the script does not compile: ${error}`;
    this.ids.set(key, id);
    if (this.ids.size > maxCompiled) this.forgetOldest();
    return id;
  }

  private forgetOldest(): void {
    const [oldestKey, oldestId] = this.ids.entries().next().value ?? [];
    if (oldestKey === undefined || oldestId === undefined) return;
    this.ids.delete(oldestKey);
    const lua = this.engine.global.lua;
    const L = this.engine.global.address;
    this.pushCapstanFunction('forget');
    lua.lua_pushinteger(L, BigInt(oldestId));
    lua.lua_pcallk(L, 1, 0, 0, 0, null);
    lua.lua_settop(L, 0);
  }

  private pushCapstanFunction(name: string): void {
    const lua = this.engine.global.lua;
    const L = this.engine.global.address;
    lua.lua_getglobal(L, '__capstan');
    lua.lua_getfield(L, -1, name);
    lua.lua_remove(L, -2);
  }

  /** JSON as Lua values, as Argo CD converts them: objects and arrays become tables, null is nil; whole numbers are integers. */
  private pushJson(value: unknown, depth: number): void {
    const lua = this.engine.global.lua;
    const L = this.engine.global.address;
    if (depth > maxDepth || !lua.lua_checkstack(L, 4)) {
      lua.lua_pushnil(L);
      return;
    }
    if (typeof value === 'string') lua.lua_pushstring(L, value);
    else if (typeof value === 'boolean') lua.lua_pushboolean(L, value ? 1 : 0);
    else if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) lua.lua_pushinteger(L, BigInt(value));
      else lua.lua_pushnumber(L, value);
    } else if (Array.isArray(value)) {
      lua.lua_createtable(L, value.length, 0);
      value.forEach((item: unknown, index) => {
        this.pushJson(item, depth + 1);
        lua.lua_rawseti(L, -2, BigInt(index + 1));
      });
    } else if (isRecord(value)) {
      const entries = Object.entries(value);
      lua.lua_createtable(L, 0, entries.length);
      for (const [key, item] of entries) {
        if (item === null || item === undefined) continue;
        this.pushJson(item, depth + 1);
        lua.lua_setfield(L, -2, key);
      }
    } else lua.lua_pushnil(L);
  }

  private stringAt(index: number): string | undefined {
    const lua = this.engine.global.lua;
    const L = this.engine.global.address;
    const type: LuaType = lua.lua_type(L, index);
    return type === LuaType.String || type === LuaType.Number ? lua.lua_tolstring(L, index, null) : undefined;
  }

  /** An error object as text: Lua errors are strings (or numbers); anything else says what it was. */
  private errorAt(index: number): string {
    return this.stringAt(index) ?? 'the script failed with a non-string error';
  }

  /** Every 1000 instructions: past the deadline, the run fails with a Lua error (which pcall in bootstrap catches, then the next hook fails the rest). */
  private installHook(): void {
    const lua = this.engine.global.lua;
    const pointer = lua.module.addFunction((state: number) => {
      if (Date.now() <= this.deadline) return;
      lua.lua_pushstring(state, timeLimitError);
      lua.lua_error(state);
    }, 'vii');
    lua.lua_sethook(this.engine.global.address, pointer, countHookMask, instructionsPerHook);
  }
}
