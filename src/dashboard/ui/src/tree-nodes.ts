// Small questions about the resource tree.
import type { TreeNode } from '../../api-types.js';

/** Identifies an object of the tree (group, kind, namespace, name). */
export function nodeKey(node: TreeNode): string {
  return `${node.group}/${node.kind}/${node.namespace ?? ''}/${node.name}`;
}

/** How many objects the tree holds, counting owned ones. */
export function treeSize(roots: readonly TreeNode[]): number {
  return roots.reduce((n, node) => n + 1 + treeSize(node.children), 0);
}

/** The query of `GET …/resource` for one object. */
export function resourceQuery(node: TreeNode): string {
  const params = new URLSearchParams({ group: node.group, version: node.version, kind: node.kind, namespace: node.namespace ?? '', name: node.name });
  return params.toString();
}
