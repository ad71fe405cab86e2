import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';

/** How healthy one live object of a given kind is; pure, and total over malformed status. */
export type HealthRule = (obj: KubeObject) => HealthAssessment;
