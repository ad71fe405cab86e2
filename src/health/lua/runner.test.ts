import { afterAll, describe, expect, it } from '@jest/globals';
import { LuaHealthRunner, type HealthScript } from './runner.js';

const runner = new LuaHealthRunner();
afterAll(async () => {
  await runner.close();
});

const script = (source: string, openLibs = false): HealthScript => ({ source, openLibs, origin: 'test' });
const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', generation: 2 }, status: { observedGeneration: 2, replicas: 3, conditions: [{ type: 'Ready', status: 'True', message: 'all good' }] } };
const healthy = script('return { status = "Healthy", message = "replicas: " .. obj.status.replicas }');

describe('LuaHealthRunner', () => {
  it('runs a script on the object and returns its status and message', async () => {
    await expect(runner.assess(healthy, widget)).resolves.toEqual({ status: 'Healthy', message: 'replicas: 3' });
    const byCondition = script(`
      for _, c in ipairs(obj.status.conditions) do
        if c.type == "Ready" and c.status == "True" then return { status = "Healthy", message = c.message } end
      end
      return { status = "Progressing", message = "not ready" }`);
    await expect(runner.assess(byCondition, widget)).resolves.toEqual({ status: 'Healthy', message: 'all good' });
  });

  it('gives no health when the script returns nothing or an empty table, as Argo CD does', async () => {
    await expect(runner.assess(script('return nil'), widget)).resolves.toBeNull();
    await expect(runner.assess(script('return {}'), widget)).resolves.toBeNull();
  });

  it.each([
    ['an invalid status', 'return { status = "Fine" }', 'invalid health status "Fine"'],
    ['no status with a message', 'return { message = "x" }', 'invalid health status null'],
    ['a value that is not a table', 'return 5', 'expect table output from Lua script, not number'],
    ['a runtime error', 'return obj.spec.missing.field', 'attempt to index a nil value'],
    ['a compile error', 'return {', 'does not compile'],
    ['a status of the wrong type', 'return { status = 1 }', 'must be a string'],
  ])('is Unknown, saying why, for %s', async (_what, source, why) => {
    const health = await runner.assess(script(source), widget);
    expect(health?.status).toBe('Unknown');
    expect(health?.message).toContain(why);
    expect(health?.message).toContain('health check (test) failed');
  });

  it('offers no file, process or code loading: os.execute, io, dofile, load, require of a module', async () => {
    for (const source of ['return os.execute("true")', 'return io.open("/etc/hostname")', 'return dofile("/etc/hostname")', 'return load("return 1")()', 'return require("io")', 'return loadstring("return 1")']) {
      const health = await runner.assess(script(source, true), widget);
      expect({ source, status: health?.status }).toEqual({ source, status: 'Unknown' });
    }
    await expect(runner.assess(script('local os = require("os"); return { status = os.time() > 0 and "Healthy" or "Degraded" }'), widget)).resolves.toEqual({ status: 'Healthy' });
  });

  it('gives string, math and coroutine only to scripts marked useOpenLibs, as Argo CD does', async () => {
    const source = 'return { status = "Healthy", message = string.upper("ok") .. math.floor(2.5) }';
    expect((await runner.assess(script(source, false), widget))?.status).toBe('Unknown');
    await expect(runner.assess(script(source, true), widget)).resolves.toEqual({ status: 'Healthy', message: 'OK2' });
    // String methods too, as in Argo CD, where strings get their metatable from the string library.
    const method = 'return { status = "Healthy", message = ("ok"):upper() }';
    expect((await runner.assess(script(method, false), widget))?.message).toContain("attempt to call a nil value (method 'upper')");
    await expect(runner.assess(script(method, true), widget)).resolves.toEqual({ status: 'Healthy', message: 'OK' });
  });

  it('runs each call in a fresh environment: globals and library changes do not outlive a run', async () => {
    const leaky = script('counter = (counter or 0) + 1; string.find = nil; table.insert = nil; return { status = "Healthy", message = tostring(counter) }', true);
    await expect(runner.assess(leaky, widget)).resolves.toEqual({ status: 'Healthy', message: '1' });
    await expect(runner.assess(leaky, widget)).resolves.toEqual({ status: 'Healthy', message: '1' });
    const other = script('local t = {}; table.insert(t, "x"); return { status = "Healthy", message = tostring(string.find("abc", "b")) .. t[1] }', true);
    await expect(runner.assess(other, widget)).resolves.toEqual({ status: 'Healthy', message: '2x' });
    await expect(runner.assess(script('return { status = "Healthy", message = tostring(getmetatable("")) }'), widget)).resolves.toEqual({ status: 'Healthy', message: 'false' });
  });

  it('keeps Lua 5.1 scripts working: unpack, table.getn, integers printed without a fraction', async () => {
    const old = script('local a, b = unpack({ "x", "y" }); return { status = "Healthy", message = a .. b .. table.getn({1, 2}) .. " " .. obj.metadata.generation }');
    await expect(runner.assess(old, widget)).resolves.toEqual({ status: 'Healthy', message: 'xy2 2' });
  });

  describe('a hostile script cannot hang or exhaust the controller', () => {
    // Which limit ends a run first can depend on the machine's load (the sandbox stops Lua code at
    // 500 ms, the runner stops its worker at 900 ms), so either is accepted where both can apply.
    const stopped = /ran past its time limit|did not finish within 900 ms/;
    it.each([
      ['a loop without end', 'while true do end', stopped],
      ['a loop that catches its own time limit', 'while true do pcall(function() while true do end end) end', stopped],
      ['allocation without bound', 'local t = {} local i = 0 while true do i = i + 1; t[i] = string.rep("x", 1024) .. i end', /not enough memory|ran past its time limit|did not finish within 900 ms/],
      ['recursion without bound', 'local function f(n) return f(n + 1) + 1 end return f(1)', /health check \(test\) failed/],
      ['a string match that never ends inside C', 'local s = string.rep("a", 50000) return { status = tostring(string.find(s, ".-.-.-.-.-b")) }', /did not finish within 900 ms/],
    ])('%s ends as Unknown, and the next script runs normally', async (_what, source, why) => {
      const health = await runner.assess(script(source, true), widget);
      expect(health?.status).toBe('Unknown');
      expect(health?.message).toMatch(why);
      await expect(runner.assess(healthy, widget)).resolves.toEqual({ status: 'Healthy', message: 'replicas: 3' });
    });

    it('stops a script within its hard limit of 900 ms, inside the 1 s Argo CD allows', async () => {
      // The limits, not a measured duration: the sandbox stops Lua code at 500 ms, the runner stops the worker at 900 ms.
      const health = await runner.assess(script('local s = string.rep("a", 50000) return string.find(s, ".-.-.-.-.-b")', true), widget);
      expect(health?.message).toMatch(/within (\d+) ms/);
      expect(Number(/within (\d+) ms/.exec(health?.message ?? '')?.[1])).toBeLessThan(1000);
    });
  });
});

describe('LuaSandbox', () => {
  it('compiles each script once, however often it runs', async () => {
    const { LuaSandbox } = await import('./sandbox.js');
    const sandbox = await LuaSandbox.create({ timeoutMs: 500, memoryBytes: 16 * 1024 * 1024 });
    const source = 'return { status = "Healthy", message = obj.metadata.name }';
    for (const name of ['a', 'b', 'c']) expect(sandbox.run(source, false, { metadata: { name } })).toEqual({ kind: 'returned', status: 'Healthy', message: name });
    expect(sandbox.compiledScripts).toBe(1);
    // The same text with other libraries is another script.
    sandbox.run(source, true, { metadata: { name: 'd' } });
    expect(sandbox.compiledScripts).toBe(2);
  });
});
