import type { HealthAssessment } from '../../api/health.js';
import { groupOf, type KubeObject } from '../../api/object.js';
import { LuaHealthRunner } from '../lua/runner.js';
import { assessHealth } from '../registry.js';
import { HealthCustomizations } from './customizations.js';

/** The health of one live object, as the controller assesses it (null: no health rule, counted Healthy). */
export interface ObjectHealth {
  assess(obj: KubeObject): Promise<HealthAssessment | null>;
}

/**
 * Health with custom checks: an object whose kind has a Lua script (Argo CD's
 * resource.customizations.health) is assessed by that script, which takes precedence over the
 * built-in rule, as in Argo CD; any other object by the built-in rules. A deleting object is
 * Progressing whatever its script says. The scripts can be replaced at any time (`use`): the
 * next assessment uses the new ones.
 */
export class CustomHealthChecks implements ObjectHealth {
  private customizations: HealthCustomizations;

  constructor(customizations: HealthCustomizations = HealthCustomizations.none, private readonly runner = new LuaHealthRunner()) {
    this.customizations = customizations;
  }

  use(customizations: HealthCustomizations): void {
    this.customizations = customizations;
  }

  async assess(obj: KubeObject): Promise<HealthAssessment | null> {
    const script = obj.metadata.deletionTimestamp === undefined ? this.customizations.scriptFor(groupOf(obj.apiVersion), obj.kind) : undefined;
    return script === undefined ? assessHealth(obj) : this.runner.assess(script, obj);
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}

/** Only the built-in rules (no scripts, no worker). */
export const builtInHealth: ObjectHealth = {
  assess: (obj) => Promise.resolve(assessHealth(obj)),
};
