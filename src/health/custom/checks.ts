import type { HealthAssessment } from '../../api/health.js';
import { groupOf, type KubeObject } from '../../api/object.js';
import { LuaHealthRunner, type HealthScript } from '../lua/runner.js';
import { assessHealth } from '../registry.js';
import { HealthCustomizations } from './customizations.js';

/** The health of one live object, as the controller assesses it (null: no health rule, counted Healthy). */
export interface ObjectHealth {
  assess(obj: KubeObject): Promise<HealthAssessment | null>;
}

export interface CustomHealthChecksOptions {
  readonly runner?: LuaHealthRunner;
  /** A script stopped by its limits this many times in a row is paused (default 3)… */
  readonly strikes?: number;
  /** …for this long (default 60 s): its objects are Unknown meanwhile, without running it. */
  readonly pauseMs?: number;
  readonly now?: () => number;
}

interface Strikes {
  count: number;
  pausedUntil: number;
}

/**
 * Health with custom checks: an object whose kind has a Lua script (Argo CD's
 * resource.customizations.health) is assessed by that script, which takes precedence over the
 * built-in rule, as in Argo CD; any other object by the built-in rules. A deleting object is
 * Progressing whatever its script says. The scripts can be replaced at any time (`use`): the
 * next assessment uses the new ones.
 *
 * All scripts share one worker thread, so a script that keeps running into its limits (a loop,
 * on each of many objects) would hold up every other script: after `strikes` such runs in a
 * row it is paused, and its objects are Unknown, saying so, until the pause ends or it changes.
 */
export class CustomHealthChecks implements ObjectHealth {
  private customizations: HealthCustomizations;
  private readonly runner: LuaHealthRunner;
  private readonly strikes = new Map<HealthScript, Strikes>();
  private readonly maxStrikes: number;
  private readonly pauseMs: number;
  private readonly now: () => number;

  constructor(customizations: HealthCustomizations = HealthCustomizations.none, options: CustomHealthChecksOptions = {}) {
    this.customizations = customizations;
    this.runner = options.runner ?? new LuaHealthRunner();
    this.maxStrikes = options.strikes ?? 3;
    this.pauseMs = options.pauseMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  use(customizations: HealthCustomizations): void {
    this.customizations = customizations;
    this.strikes.clear();
  }

  async assess(obj: KubeObject): Promise<HealthAssessment | null> {
    const script = obj.metadata.deletionTimestamp === undefined ? this.customizations.scriptFor(groupOf(obj.apiVersion), obj.kind) : undefined;
    if (script === undefined) return assessHealth(obj);
    const strikes = this.strikes.get(script);
    if (strikes !== undefined && this.now() < strikes.pausedUntil) {
      return {
        status: 'Unknown',
        message: `health check (${script.origin}) paused until ${new Date(strikes.pausedUntil).toISOString()}: it was stopped by its time or memory limit ${this.maxStrikes} times in a row`,
      };
    }
    const run = await this.runner.run(script, obj);
    if (!run.stopped) {
      this.strikes.delete(script);
      return run.health;
    }
    const count = (strikes?.count ?? 0) + 1;
    // Still the scripts in use: one replaced meanwhile is not counted against.
    if (this.customizations.scriptFor(groupOf(obj.apiVersion), obj.kind) === script) {
      this.strikes.set(script, count >= this.maxStrikes ? { count: 0, pausedUntil: this.now() + this.pauseMs } : { count, pausedUntil: 0 });
    }
    return run.health;
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}

/** Only the built-in rules (no scripts, no worker). */
export const builtInHealth: ObjectHealth = {
  assess: (obj) => Promise.resolve(assessHealth(obj)),
};
