import type { Application } from '../api/application.js';
import { defaultProjectName, implicitDefaultProject, type AppProject } from '../projects/index.js';

/**
 * The AppProjects an app may belong to (ProjectStore in the controller, a fixed list in unit
 * tests): project `default` is implied while no AppProject of that name exists.
 */
export interface ProjectSource {
  /** The project of that name; undefined when it does not exist, or while projects cannot be read (see `problem`). */
  get(name: string): AppProject | undefined;
  /** Why projects cannot be read now (for a message); undefined while they are read. */
  readonly problem: string | undefined;
  /** The namespace AppProjects are read from: the controller's own, where every Application may use any project. */
  readonly namespace: string;
}

/** The name of the app's project (`default` when spec.project is empty). */
export function projectNameOf(app: Application): string {
  const name = app.spec.project;
  return name === undefined || name === '' ? defaultProjectName : name;
}

/** Projects from a list, `default` implied (unit tests, one-shot comparisons). */
export function fixedProjects(projects: readonly AppProject[], namespace = 'capstan'): ProjectSource {
  return {
    get: (name) => projects.find((p) => p.metadata.name === name) ?? (name === defaultProjectName ? implicitDefaultProject(namespace) : undefined),
    problem: undefined,
    namespace,
  };
}
