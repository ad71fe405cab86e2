/** Health of one object or of an application (DESIGN.md §3). */
export const healthStatuses = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'] as const;
export type HealthStatus = (typeof healthStatuses)[number];

export interface HealthAssessment {
  readonly status: HealthStatus;
  readonly message?: string;
}

/** Severity order: a larger number is worse; the worst child wins. */
export function healthSeverity(status: HealthStatus): number {
  return healthStatuses.indexOf(status);
}

export function worstHealth(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'Healthy';
  for (const s of statuses) if (healthSeverity(s) > healthSeverity(worst)) worst = s;
  return worst;
}

export function isHealthStatus(value: string): value is HealthStatus {
  return (healthStatuses as readonly string[]).includes(value);
}
