/**
 * A network namespace joined to this one by a veth pair (iproute2; needs root): a controller run
 * inside it reaches the API server only through the pair, and `cut` takes the host's end down, so
 * its packets are dropped without a word, as in a network partition, until `heal`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Subnets are taken in turn from a random start, so the namespaces of one process never share one. */
let nextSubnet = randomBytes(1)[0] ?? 0;

const ip = (...args: string[]): void => {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

export class NetworkNamespace {
  readonly name: string;
  /** The host's address on the pair: listen here to be reachable from inside. */
  readonly hostAddress: string;
  readonly innerAddress: string;
  private readonly hostLink: string;
  private readonly innerLink: string;

  private constructor(tag: string, subnet: number) {
    this.name = `capstan-${tag}`;
    this.hostLink = `vh${tag}`;
    this.innerLink = `vc${tag}`;
    this.hostAddress = `10.213.${subnet}.1`;
    this.innerAddress = `10.213.${subnet}.2`;
  }

  /** Makes a namespace with a /30 of 10.213.0.0/16 of its own. */
  static create(): NetworkNamespace {
    const subnet = nextSubnet;
    nextSubnet = (nextSubnet + 1) % 256;
    const ns = new NetworkNamespace(randomBytes(4).toString('hex'), subnet);
    try {
      ip('netns', 'add', ns.name);
      ip('link', 'add', ns.hostLink, 'type', 'veth', 'peer', 'name', ns.innerLink);
      ip('link', 'set', ns.innerLink, 'netns', ns.name);
      ip('addr', 'add', `${ns.hostAddress}/30`, 'dev', ns.hostLink);
      ip('link', 'set', ns.hostLink, 'up');
      ip('-n', ns.name, 'addr', 'add', `${ns.innerAddress}/30`, 'dev', ns.innerLink);
      ip('-n', ns.name, 'link', 'set', ns.innerLink, 'up');
      ip('-n', ns.name, 'link', 'set', 'lo', 'up');
    } catch (err) {
      ns.destroy();
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`could not make a network namespace (root and iproute2 are needed): ${stderr ?? String(err)}`);
    }
    return ns;
  }

  /** The command prefix that runs a program inside. */
  get wrapper(): readonly string[] {
    return ['ip', 'netns', 'exec', this.name];
  }

  cut(): void {
    ip('link', 'set', this.hostLink, 'down');
  }

  heal(): void {
    ip('link', 'set', this.hostLink, 'up');
  }

  destroy(): void {
    try {
      ip('link', 'del', this.hostLink);
    } catch {
      /* not made, or gone with the namespace */
    }
    try {
      ip('netns', 'del', this.name);
    } catch {
      /* not made */
    }
  }
}
