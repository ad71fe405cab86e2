// Entry point of `npm run cluster:up|down|status`: manages the local test control plane.
import { relative } from 'node:path';
import { down, leftovers, status, up } from './launcher.js';
import { repoRoot } from './paths.js';

const say = (line: string): void => {
  process.stderr.write(`capstan cluster: ${line}\n`);
};

async function main(command: string | undefined): Promise<number> {
  const stateDir = process.env['CAPSTAN_CLUSTER_DIR'];
  switch (command) {
    case 'up': {
      const result = await up(stateDir, say);
      const kubeconfig = relative(process.cwd(), result.state.kubeconfig) || result.state.kubeconfig;
      say(result.reused ? `already running at ${result.state.server}; reusing it` : `started in ${result.seconds.toFixed(1)}s at ${result.state.server}`);
      say(`kubeconfig: ${result.state.kubeconfig}`);
      say(`try: kubectl --kubeconfig ${kubeconfig} get nodes`);
      return 0;
    }
    case 'down': {
      const result = await down(stateDir);
      say(result.stopped > 0 ? `stopped ${result.stopped} processes and removed the state` : 'nothing was running; state removed');
      return 0;
    }
    case 'status': {
      const s = status(stateDir);
      if (!s.running) {
        say(s.detail);
        return 1;
      }
      say(`running at ${s.state.server} since ${s.state.startedAt}`);
      for (const p of s.state.processes) say(`  ${p.name.padEnd(24)} pid ${p.pid}`);
      say(`kubeconfig: ${relative(repoRoot, s.state.kubeconfig)}`);
      return 0;
    }
    case 'leftovers': {
      const left = leftovers(stateDir);
      for (const p of left) say(`still running: pid ${p.pid}: ${p.command}`);
      return left.length === 0 ? 0 : 1;
    }
    default:
      say('usage: cluster up|down|status|leftovers');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    say(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
