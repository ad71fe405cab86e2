/** Small manifest builders for tests (YAML text as a repository would hold it). */

export function deployment(name: string, options: { replicas?: number; image?: string; namespace?: string; annotations?: Record<string, string> } = {}): string {
  const ns = options.namespace === undefined ? '' : `\n  namespace: ${options.namespace}`;
  const ann = options.annotations === undefined ? '' : `\n  annotations:\n${Object.entries(options.annotations).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${ns}${ann}
spec:
  replicas: ${options.replicas ?? 1}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: main
          image: ${options.image ?? 'nginx:1.27'}
          ports: [{ containerPort: 80 }]
`;
}

export function service(name: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports:
    - port: 80
      targetPort: 80
`;
}

export function configMap(name: string, data: Record<string, string> = { key: 'value' }, annotations?: Record<string, string>): string {
  const ann = annotations === undefined ? '' : `\n  annotations:\n${Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}`;
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}${ann}
data:
${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}
`;
}

export function secret(name: string, stringData: Record<string, string>): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
type: Opaque
stringData:
${Object.entries(stringData).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}
`;
}
