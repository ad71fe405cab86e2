// What a sync would do (status.plan): each object with its action, the changed fields, the counts.
import type { DeployPlan, DeployPlanItem } from '../../../../api/application.js';

const symbols: Record<DeployPlanItem['action'], string> = { create: '+', update: '~', prune: '−', hook: '*' };

function objectName(item: DeployPlanItem): string {
  return item.namespace === '' ? `${item.kind}/${item.name}` : `${item.kind} ${item.namespace}/${item.name}`;
}

export function PlanPanel({ plan }: { readonly plan: DeployPlan }) {
  const { create, update, prune, hook } = plan.counts;
  return (
    <section class="card plan" data-testid="plan">
      <div class="section-title">
        <h2>Plan</h2>
        <span class="muted small">
          at <code>{plan.revision.slice(0, 7)}</code>, plan <code data-testid="plan-hash">{plan.hash}</code>
        </span>
      </div>
      <ul class="plan-items">
        {plan.items.map((item) => (
          <li key={`${item.action}/${item.group}/${item.kind}/${item.namespace}/${item.name}`} class={`plan-item plan-${item.action}`} data-testid="plan-item" data-action={item.action}>
            <span class="plan-symbol">{symbols[item.action]}</span>
            <span class="plan-object">{objectName(item)}</span>
            {item.action === 'hook' ? <span class="muted small"> ({(item.phases ?? []).join(', ')} hook)</span> : null}
            {item.paths === undefined ? null : <span class="plan-paths">{item.paths.join(', ')}</span>}
          </li>
        ))}
        {plan.itemsTruncated === undefined ? null : <li class="muted small">… and {plan.itemsTruncated} more</li>}
      </ul>
      <p class="plan-counts" data-testid="plan-counts">
        {create} to create, {update} to update, {prune} to prune, {hook} {hook === 1 ? 'hook' : 'hooks'}
      </p>
    </section>
  );
}
