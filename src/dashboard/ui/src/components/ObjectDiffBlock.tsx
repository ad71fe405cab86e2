// The diff of one object: a heading (Kind/namespace/name, the change) and the lines.
import type { ObjectDiff } from '../../../api-types.js';
import { Code } from './Code.js';
import { SplitDiff } from './SplitDiff.js';

export type DiffMode = 'unified' | 'split';

const changeLabels: Readonly<Record<ObjectDiff['change'], string>> = {
  modified: 'modified',
  added: 'added in Git',
  removed: 'only in the cluster',
};

export function ObjectDiffBlock({ object, mode }: { readonly object: ObjectDiff; readonly mode: DiffMode }) {
  const title = [object.kind, object.namespace, object.name].filter((part) => part !== undefined && part !== '').join('/');
  return (
    <section class="card object-diff" data-testid="object-diff">
      <header class="object-diff-header">
        <h2 class="mono">{title}</h2>
        <span class={`change change-${object.change}`}>{changeLabels[object.change]}</span>
      </header>
      {mode === 'unified' ? <Code code={object.diff} language="diff" /> : <SplitDiff diff={object.diff} />}
    </section>
  );
}
