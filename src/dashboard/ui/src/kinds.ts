// The badge of a Kubernetes kind in the resource tree: a short abbreviation and a colour family.

export interface KindBadge {
  readonly label: string;
  /** A CSS class suffix: workload, network, config, storage, access, cluster, app or other. */
  readonly family: string;
}

const badges: Readonly<Record<string, KindBadge>> = {
  Application: { label: 'app', family: 'app' },
  Deployment: { label: 'deploy', family: 'workload' },
  ReplicaSet: { label: 'rs', family: 'workload' },
  Pod: { label: 'pod', family: 'workload' },
  StatefulSet: { label: 'sts', family: 'workload' },
  DaemonSet: { label: 'ds', family: 'workload' },
  Job: { label: 'job', family: 'workload' },
  CronJob: { label: 'cj', family: 'workload' },
  HorizontalPodAutoscaler: { label: 'hpa', family: 'workload' },
  Service: { label: 'svc', family: 'network' },
  Ingress: { label: 'ing', family: 'network' },
  Endpoints: { label: 'ep', family: 'network' },
  EndpointSlice: { label: 'eps', family: 'network' },
  NetworkPolicy: { label: 'netpol', family: 'network' },
  ConfigMap: { label: 'cm', family: 'config' },
  Secret: { label: 'secret', family: 'config' },
  PersistentVolumeClaim: { label: 'pvc', family: 'storage' },
  PersistentVolume: { label: 'pv', family: 'storage' },
  StorageClass: { label: 'sc', family: 'storage' },
  ServiceAccount: { label: 'sa', family: 'access' },
  Role: { label: 'role', family: 'access' },
  RoleBinding: { label: 'rb', family: 'access' },
  ClusterRole: { label: 'crole', family: 'access' },
  ClusterRoleBinding: { label: 'crb', family: 'access' },
  Namespace: { label: 'ns', family: 'cluster' },
  CustomResourceDefinition: { label: 'crd', family: 'cluster' },
};

/** The badge of a kind; other kinds get their capital letters (or first three letters) in lower case. */
export function kindBadge(kind: string): KindBadge {
  const known = badges[kind];
  if (known !== undefined) return known;
  const capitals = kind.replace(/[^A-Z]/g, '');
  const label = (capitals.length >= 2 ? capitals : kind.slice(0, 3)).toLowerCase();
  return { label: label === '' ? '?' : label, family: 'other' };
}
