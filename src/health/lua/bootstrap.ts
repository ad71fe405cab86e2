// The Lua code that sets up a health-check state (run once per state, in the state's own global
// environment, which no script ever sees). Each script is compiled once with an environment table
// of its own; before each run that table is emptied and refilled, so nothing a run leaves behind
// (a global, a changed library table) reaches the next run or another script.
//
// The environment is Argo CD's: the base functions without those that reach files or compile
// code (dofile, loadfile, load, loadstring), `table`, an `os` with only `time` and `date`, and a
// `require` that knows only "os"; a script marked useOpenLibs also gets `string`, `math` and
// `coroutine`. `unpack`, `table.getn` and `math.pow` keep scripts written for Lua 5.1 working.
/** The error of a run past its time limit (raised by the instruction hook, see sandbox.ts). */
export const timeLimitError = 'the health check ran past its time limit';

export const sandboxBootstrap = String.raw`
local capstan = {}
local time_limit = "${timeLimitError}"

local compiled = {}
local G = _G
local pairs, ipairs, pcall, tostring, type, load, next, setmetatable = pairs, ipairs, pcall, tostring, type, load, next, setmetatable
local string_lib, table_lib, math_lib = string, table, math
local safe_os = { time = os.time, date = os.date }
local collect = collectgarbage
local base_names = {
  "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
  "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "xpcall",
}
local base = {}
for _, name in ipairs(base_names) do base[name] = G[name] end

-- A script must not catch the error that ends it at its time limit: pcall, xpcall and
-- coroutine.resume pass it on.
local function rethrow_limit(ok, ...)
  if not ok and select(1, ...) == time_limit then error(time_limit, 0) end
  return ok, ...
end
local raw_pcall, raw_xpcall, raw_resume = pcall, xpcall, coroutine.resume
base.pcall = function(...) return rethrow_limit(raw_pcall(...)) end
base.xpcall = function(f, handler, ...)
  local function guarded(e)
    if e == time_limit then return e end
    return handler(e)
  end
  return rethrow_limit(raw_xpcall(f, guarded, ...))
end
local safe_coroutine = {}
for k, v in pairs(coroutine) do safe_coroutine[k] = v end
safe_coroutine.resume = function(...) return rethrow_limit(raw_resume(...)) end

-- Strings share one metatable whose __index is the string library: a script must not reach it,
-- and, as in Argo CD, strings have methods only for a script given the string library.
local string_methods_open = false
local string_metatable = getmetatable("")
string_metatable.__index = function(_, key)
  if string_methods_open then return string_lib[key] end
  return nil
end
string_metatable.__metatable = false
G.os, G.io, G.debug, G.package, G.dofile, G.loadfile, G.require = nil, nil, nil, nil, nil, nil, nil

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local function fill(env, open)
  for k in next, env do env[k] = nil end
  for k, v in pairs(base) do env[k] = v end
  env._VERSION = _VERSION
  env._G = env
  env.print = function() end
  env.unpack = table_lib.unpack
  env.table = copy(table_lib)
  env.table.getn = function(t) return #t end
  env.os = copy(safe_os)
  env.require = function(name)
    if name == "os" then return env.os end
    error("module '" .. tostring(name) .. "' not found", 2)
  end
  if open then
    env.string = copy(string_lib)
    env.string.dump = nil
    env.math = copy(math_lib)
    env.math.pow = function(x, y) return x ^ y end
    env.coroutine = copy(safe_coroutine)
  end
end

function capstan.compile(id, source, open)
  local env = {}
  local fn, err = load(source, "=health.lua", "t", env)
  if fn == nil then return tostring(err) end
  compiled[id] = { fn = fn, env = env, open = open }
  return nil
end

function capstan.forget(id)
  compiled[id] = nil
end

-- Returns status, message, error: the script's table read as Argo CD reads it.
function capstan.run(id, obj)
  local c = compiled[id]
  if c == nil then return nil, nil, "the script is not compiled" end
  fill(c.env, c.open)
  c.env.obj = obj
  string_methods_open = c.open
  local ok, result = pcall(c.fn)
  for k in next, c.env do c.env[k] = nil end
  if not ok then
    collect("collect")
    return nil, nil, tostring(result)
  end
  if result == nil then return nil, nil, nil end
  if type(result) ~= "table" then return nil, nil, "expect table output from Lua script, not " .. type(result) end
  local status, message = result.status, result.message
  if status ~= nil and type(status) ~= "string" then return nil, nil, "the health status must be a string, not " .. type(status) end
  if message ~= nil and type(message) ~= "string" and type(message) ~= "number" then
    return nil, nil, "the health message must be a string, not " .. type(message)
  end
  return status, message ~= nil and tostring(message) or nil, nil
end

__capstan = capstan
`;
