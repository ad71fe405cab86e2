/** A real git repository in a temp directory, for tests: commits, branches and tags. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const identity = ['-c', 'user.name=Capstan Test', '-c', 'user.email=test@capstan.dev', '-c', 'init.defaultBranch=main', '-c', 'tag.gpgSign=false', '-c', 'commit.gpgSign=false'];

export class TestRepo {
  private constructor(readonly dir: string) {}

  /** `git init` of `<parentDir>/<name>` on branch main. */
  static create(parentDir: string, name: string): TestRepo {
    const repo = new TestRepo(join(parentDir, name));
    mkdirSync(repo.dir, { recursive: true });
    repo.git('init', '--quiet');
    return repo;
  }

  get url(): string {
    return `file://${this.dir}`;
  }

  git(...args: string[]): string {
    return execFileSync('git', [...identity, ...args], { cwd: this.dir, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();
  }

  /** Writes the files (paths relative to the repo), commits everything, and returns the new SHA. */
  commit(files: Readonly<Record<string, string>>, message = 'change'): string {
    for (const [path, content] of Object.entries(files)) {
      const file = join(this.dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    this.git('add', '--all');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  /** Creates (from the current commit) or switches to a branch. */
  switchTo(branch: string, options: { create?: boolean } = {}): void {
    this.git('checkout', '--quiet', ...(options.create === true ? ['-b'] : []), branch);
  }

  /** Points each ref at its SHA in one `git update-ref --stdin` process (hundreds of refs cost one spawn). */
  updateRefs(refs: Readonly<Record<string, string>>): void {
    const input = Object.entries(refs).map(([ref, sha]) => `update ${ref} ${sha}\n`).join('');
    execFileSync('git', [...identity, 'update-ref', '--stdin'], { cwd: this.dir, input, env: { ...process.env, LC_ALL: 'C' } });
  }

  tag(name: string, options: { annotated?: boolean; at?: string } = {}): void {
    const target = options.at ?? 'HEAD';
    if (options.annotated === true) this.git('tag', '-a', '-m', `release ${name}`, name, target);
    else this.git('tag', name, target);
  }
}
