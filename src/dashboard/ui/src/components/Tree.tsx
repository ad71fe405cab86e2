// The resource tree: the Application at the root, its managed objects under it, and the live
// objects each owns under those. Clicking an object selects it.
import type { Application } from '../../../../api/application.js';
import type { TreeNode } from '../../../api-types.js';
import { nodeKey } from '../tree-nodes.js';
import { Badge } from './Badge.js';
import { KindIcon } from './KindIcon.js';

interface TreeProps {
  readonly app: Application;
  readonly roots: readonly TreeNode[];
  readonly note?: string | undefined;
  readonly selected: string | undefined;
  readonly onSelect: (node: TreeNode) => void;
}

export function Tree({ app, roots, note, selected, onSelect }: TreeProps) {
  return (
    <div class="tree" data-testid="tree">
      <div class="tree-root" data-testid="tree-root" data-kind="Application" data-name={app.metadata.name}>
        <KindIcon kind="Application" />
        <span class="node-name">{app.metadata.name}</span>
        <Badge status={app.status?.sync?.status} />
        <Badge status={app.status?.health?.status} />
      </div>
      {roots.length === 0 ? <div class="empty small">No objects.</div> : <Branch nodes={roots} parent="" selected={selected} onSelect={onSelect} />}
      {note === undefined ? null : <p class="muted small tree-note">{note}</p>}
    </div>
  );
}

interface BranchProps {
  readonly nodes: readonly TreeNode[];
  readonly parent: string;
  readonly selected: string | undefined;
  readonly onSelect: (node: TreeNode) => void;
}

function Branch({ nodes, parent, selected, onSelect }: BranchProps) {
  return (
    <ul class="tree-branch">
      {nodes.map((node) => {
        const key = nodeKey(node);
        return (
          <li key={key}>
            <button
              type="button"
              class={`tree-node${key === selected ? ' selected' : ''}${node.live ? '' : ' not-live'}`}
              data-testid="tree-node"
              data-kind={node.kind}
              data-name={node.name}
              data-parent={parent}
              title={node.healthMessage ?? `${node.kind} ${node.namespace === undefined ? '' : `${node.namespace}/`}${node.name}`}
              onClick={() => {
                onSelect(node);
              }}
            >
              <KindIcon kind={node.kind} />
              <span class="node-text">
                <span class="node-name">{node.name}</span>
                <span class="node-kind">{node.kind}</span>
              </span>
              {node.managed ? <Badge status={node.sync} /> : null}
              {node.health === undefined ? null : <Badge status={node.health} />}
            </button>
            {node.children.length === 0 ? null : <Branch nodes={node.children} parent={`${node.kind}/${node.name}`} selected={selected} onSelect={onSelect} />}
          </li>
        );
      })}
    </ul>
  );
}
