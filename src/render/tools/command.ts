import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

function executableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The binary a command names, as a shell finds it: a name holding a '/' is a path (relative to
 * `cwd`), anything else the first executable file of that name in `searchPath`'s directories.
 */
export function findCommand(command: string, searchPath: string, cwd: string): string | undefined {
  if (command === '') return undefined;
  if (command.includes('/')) {
    const file = path.resolve(cwd, command);
    return executableFile(file) ? file : undefined;
  }
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '' || !path.isAbsolute(dir)) continue;
    const file = path.join(dir, command);
    if (executableFile(file)) return file;
  }
  return undefined;
}
