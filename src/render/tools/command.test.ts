import { afterAll, describe, expect, it } from '@jest/globals';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { TempTrees } from '../testing/tools.js';
import { findCommand } from './command.js';
import { ToolSandbox } from './sandbox.js';

const trees = new TempTrees('capstan-command-test');
afterAll(() => trees.remove());

describe('findCommand', () => {
  it('finds a name in the first directory of the search path that holds it as an executable file', async () => {
    const first = await trees.make({ 'tool': '#!/bin/sh\n', 'plain': '' });
    const second = await trees.make({ 'tool': '#!/bin/sh\n', 'plain': '#!/bin/sh\n', 'dir/x': '' });
    await chmod(path.join(first, 'tool'), 0o755);
    await chmod(path.join(second, 'tool'), 0o755);
    await chmod(path.join(second, 'plain'), 0o755);
    const searchPath = [first, second].join(path.delimiter);
    expect(findCommand('tool', searchPath, '/')).toBe(path.join(first, 'tool'));
    // Not executable in the first: the second's.
    expect(findCommand('plain', searchPath, '/')).toBe(path.join(second, 'plain'));
    expect(findCommand('dir', searchPath, '/')).toBeUndefined();
    expect(findCommand('missing', searchPath, '/')).toBeUndefined();
    expect(findCommand('', searchPath, '/')).toBeUndefined();
  });

  it('never looks in a relative directory of the search path, nor in the working directory for a bare name', async () => {
    const cwd = await trees.make({ 'evil': '#!/bin/sh\n' });
    await chmod(path.join(cwd, 'evil'), 0o755);
    expect(findCommand('evil', `.${path.delimiter}${path.delimiter}bin`, cwd)).toBeUndefined();
    expect(findCommand('./evil', '', cwd)).toBe(path.join(cwd, 'evil'));
    expect(findCommand('sh', '/usr/bin:/bin', cwd)).toMatch(/^\/(usr\/)?bin\/sh$/);
  });
});

describe('ToolSandbox.run with a command', () => {
  it('runs the command found on the sandbox PATH instead of a tool, and says when it is not there', async () => {
    const box = new ToolSandbox({ tools: {} });
    const dir = await trees.make();
    const ran = await box.run({ tool: 'plugin', command: 'sh', args: ['-c', 'echo "$0 $PATH"'], cwd: dir, home: dir, file: 'app', label: 'plugin x' });
    // argv[0] is the command as given, or its path when the run is started under prlimit.
    expect(ran).toEqual({ ok: true, stdout: expect.stringMatching(/^(\/usr)?(\/bin\/)?sh \/usr\/local\/bin:\/usr\/bin:\/bin\n$/) });
    const missing = await box.run({ tool: 'plugin', command: 'no-such-command', args: [], cwd: dir, home: dir, file: 'app', label: 'plugin x' });
    expect(missing).toEqual({ ok: false, error: { code: 'ToolMissing', file: 'app', message: 'plugin x: the command "no-such-command" was not found on the render tools\' PATH (/usr/local/bin:/usr/bin:/bin)' } });
    const notExecutable = await box.run({ tool: 'plugin', command: './nothing.sh', args: [], cwd: dir, home: dir, file: 'app', label: 'plugin x' });
    expect(notExecutable).toEqual({ ok: false, error: { code: 'ToolMissing', file: 'app', message: 'plugin x: the command "./nothing.sh" is not an executable file' } });
  });

  it('still runs the tool of the sandbox when no command is given', async () => {
    const box = new ToolSandbox({ tools: { plugin: '/bin/sh' } });
    const dir = await trees.make();
    expect(await box.run({ tool: 'plugin', args: ['-c', 'echo tool'], cwd: dir, home: dir, file: 'app' })).toEqual({ ok: true, stdout: 'tool\n' });
    expect(await new ToolSandbox({ tools: {} }).run({ tool: 'helm', args: [], cwd: dir, home: dir, file: 'app' })).toMatchObject({ ok: false, error: { code: 'ToolMissing' } });
  });
});
