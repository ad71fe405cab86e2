// The path above a view: Applications / ns/name [/ Diff], and an optional marker after it.
import type { ComponentChildren } from 'preact';
import { appHref, listHref } from '../routes.js';

interface BreadcrumbProps {
  readonly namespace: string;
  readonly name: string;
  /** A last step after the app (its link then goes back to the app). */
  readonly leaf?: string;
  readonly children?: ComponentChildren;
}

export function Breadcrumb({ namespace, name, leaf, children }: BreadcrumbProps) {
  const app = `${namespace}/${name}`;
  return (
    <nav class="breadcrumb">
      <a href={listHref}>Applications</a>
      <span class="sep">/</span>
      {leaf === undefined ? <span>{app}</span> : <a href={appHref(namespace, name)}>{app}</a>}
      {leaf === undefined ? null : (
        <>
          <span class="sep">/</span>
          <span>{leaf}</span>
        </>
      )}
      {children}
    </nav>
  );
}
