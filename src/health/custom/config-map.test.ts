import { afterAll, describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../api/object.js';
import { CustomHealthChecks } from './checks.js';
import { capstanConfigName, parseHealthConfig } from './config-map.js';

const health = 'resource.customizations.health';
const openLibs = 'resource.customizations.useOpenLibs';
const returns = (status: string, message: string): string => `return { status = "${status}", message = "${message}" }`;

/** The script a kind gets from `data`, and the problems the data has. */
function lookup(data: Record<string, string>, group: string, kind: string) {
  const parsed = parseHealthConfig(data);
  return { script: parsed.customizations.scriptFor(group, kind), problems: parsed.problems };
}

describe('parseHealthConfig: split keys', () => {
  it('reads resource.customizations.health.<group>_<Kind>, with its key as origin, without the standard libraries by default', () => {
    const parsed = parseHealthConfig({ [`${health}.example.com_Widget`]: returns('Healthy', 'w') });
    expect(parsed.problems).toEqual([]);
    expect(parsed.customizations.size).toBe(1);
    expect(parsed.customizations.scriptFor('example.com', 'Widget')).toEqual({
      source: returns('Healthy', 'w'),
      openLibs: false,
      origin: `${capstanConfigName} key ${health}.example.com_Widget`,
    });
    expect(parsed.customizations.scriptFor('other.example.com', 'Widget')).toBeUndefined();
  });

  it('names the ConfigMap it read in the origin', () => {
    const parsed = parseHealthConfig({ [`${health}.example.com_Widget`]: returns('Healthy', 'w') }, 'argocd-cm');
    expect(parsed.customizations.scriptFor('example.com', 'Widget')?.origin).toBe(`argocd-cm key ${health}.example.com_Widget`);
  });

  it('reads <Kind> and _<Kind> as kinds of the core group', () => {
    const data = { [`${health}.PersistentVolumeClaim`]: returns('Healthy', 'pvc'), [`${health}._Secret`]: returns('Healthy', 'secret') };
    expect(lookup(data, '', 'PersistentVolumeClaim').script?.source).toBe(returns('Healthy', 'pvc'));
    expect(lookup(data, '', 'Secret').script?.source).toBe(returns('Healthy', 'secret'));
    expect(lookup(data, 'example.com', 'Secret').script).toBeUndefined();
    expect(lookup(data, '', 'Secret').problems).toEqual([]);
  });

  it('reads all as */*: every kind of a group, not the core group (whose key has no slash)', () => {
    const data = { [`${health}.all`]: returns('Healthy', 'all') };
    expect(lookup(data, 'apps', 'Deployment').script?.source).toBe(returns('Healthy', 'all'));
    expect(lookup(data, 'example.com', 'Widget').script?.origin).toBe(`${capstanConfigName} key ${health}.all`);
    expect(lookup(data, '', 'ConfigMap').script).toBeUndefined();
  });

  it('prefers a kind of its own to all', () => {
    const data = { [`${health}.all`]: returns('Healthy', 'all'), [`${health}.apps_Deployment`]: returns('Healthy', 'deployment') };
    expect(lookup(data, 'apps', 'Deployment').script?.source).toBe(returns('Healthy', 'deployment'));
    expect(lookup(data, 'apps', 'StatefulSet').script?.source).toBe(returns('Healthy', 'all'));
  });

  it('ignores an empty script, and a useOpenLibs key without a script', () => {
    const parsed = parseHealthConfig({ [`${health}.example.com_Widget`]: '  \n', [`${openLibs}.example.com_Gadget`]: 'true' });
    expect(parsed.customizations.size).toBe(0);
    expect(parsed.problems).toEqual([]);
  });

  it('ignores keys that are not resource customizations', () => {
    const parsed = parseHealthConfig({ url: 'https://argo.example.com', 'resource.exclusions': '- kinds: [Event]', 'resource.compareoptions': 'ignoreAggregatedRoles: true', 'resource.customizationsX.health.a_B': 'x' });
    expect(parsed.problems).toEqual([]);
    expect(parsed.customizations.size).toBe(0);
  });
});

describe('parseHealthConfig: useOpenLibs', () => {
  const withFlag = (value: string) => lookup({ [`${health}.example.com_Widget`]: returns('Healthy', 'w'), [`${openLibs}.example.com_Widget`]: value }, 'example.com', 'Widget');

  it.each(['1', 't', 'T', 'true', 'TRUE', 'True'])('reads %j as true, as Go strconv.ParseBool does', (value) => {
    expect(withFlag(value)).toMatchObject({ script: { openLibs: true }, problems: [] });
  });

  it.each(['0', 'f', 'F', 'false', 'FALSE', 'False'])('reads %j as false', (value) => {
    expect(withFlag(value)).toMatchObject({ script: { openLibs: false }, problems: [] });
  });

  it.each(['yes', 'on', 'tRUE', ' true', 'true\n', ''])('says %j is not true or false, and keeps the script without the libraries', (value) => {
    const { script, problems } = withFlag(value);
    expect(script?.openLibs).toBe(false);
    expect(problems).toEqual([`${openLibs}.example.com_Widget: ${JSON.stringify(value)} is not true or false`]);
  });

  it('applies to the script of the same group and kind only', () => {
    const data = { [`${health}.example.com_Widget`]: 'return nil', [`${health}.example.com_Gadget`]: 'return nil', [`${openLibs}.example.com_Widget`]: 'true' };
    expect(lookup(data, 'example.com', 'Widget').script?.openLibs).toBe(true);
    expect(lookup(data, 'example.com', 'Gadget').script?.openLibs).toBe(false);
  });
});

describe('parseHealthConfig: the legacy resource.customizations key', () => {
  const anyAws = '"*.aws.example.com/*":\n  health.lua: |\n    return { status = "Healthy", message = "any aws" }\n';
  const ec2 = 'ec2.aws.example.com/*:\n  health.lua: |\n    return { status = "Healthy", message = "ec2" }\n';
  const widget = 'example.com/Widget:\n  health.lua: |\n    return { status = "Healthy", message = "widget" }\n';
  const db = 'db.example.com*:\n  health.lua: |\n    return { status = "Healthy", message = "db" }\n  health.lua.useOpenLibs: true\n';
  const legacy = [anyAws, ec2, widget, db].join('');
  const messageOf = (data: Record<string, string>, group: string, kind: string): string | undefined => lookup(data, group, kind).script?.source.match(/message = "([^"]*)"/)?.[1];

  it('reads group/Kind keys with their scripts and useOpenLibs, naming the key in the origin', () => {
    const parsed = parseHealthConfig({ 'resource.customizations': legacy });
    expect(parsed.problems).toEqual([]);
    expect(parsed.customizations.scriptFor('example.com', 'Widget')).toEqual({
      source: 'return { status = "Healthy", message = "widget" }\n',
      openLibs: false,
      origin: `${capstanConfigName} key resource.customizations, example.com/Widget`,
    });
    expect(parsed.customizations.scriptFor('db.example.com', 'Database')?.openLibs).toBe(true);
  });

  it('matches wildcard keys, where * crosses the slash as in argocd-cm', () => {
    const data = { 'resource.customizations': legacy };
    expect(messageOf(data, 'rds.aws.example.com', 'DBInstance')).toBe('any aws');
    expect(messageOf(data, 'db.example.com', 'Database')).toBe('db');
    expect(messageOf(data, 'aws.example.com', 'Account')).toBeUndefined();
  });

  it('chooses between matching wildcards by key, whatever their order in the YAML', () => {
    const swapped = [db, widget, ec2, anyAws].join('');
    expect(messageOf({ 'resource.customizations': legacy }, 'ec2.aws.example.com', 'Volume')).toBe('any aws');
    expect(messageOf({ 'resource.customizations': swapped }, 'ec2.aws.example.com', 'Volume')).toBe('any aws');
  });

  it('prefers an exact key to a wildcard, from the YAML or from a split key', () => {
    const data = { 'resource.customizations': legacy, [`${health}.ec2.aws.example.com_Instance`]: returns('Healthy', 'instance') };
    expect(messageOf(data, 'ec2.aws.example.com', 'Instance')).toBe('instance');
    expect(messageOf(data, 'ec2.aws.example.com', 'Volume')).toBe('any aws');
    expect(messageOf(data, 'example.com', 'Widget')).toBe('widget');
  });

  it('lets a split key win over the YAML for the same kind, field by field as Argo CD merges them', () => {
    const data = { 'resource.customizations': legacy, [`${health}.example.com_Widget`]: returns('Degraded', 'split') };
    expect(lookup(data, 'example.com', 'Widget').script).toEqual({ source: returns('Degraded', 'split'), openLibs: false, origin: `${capstanConfigName} key ${health}.example.com_Widget` });
    const flagged = lookup({ 'resource.customizations': legacy, [`${openLibs}.example.com_Widget`]: 'true' }, 'example.com', 'Widget').script;
    expect(flagged).toMatchObject({ source: 'return { status = "Healthy", message = "widget" }\n', openLibs: true });
    const withLibs = 'ec2.aws.example.com/Instance:\n  health.lua: return nil\n  health.lua.useOpenLibs: true\n';
    expect(lookup({ 'resource.customizations': withLibs, [`${health}.ec2.aws.example.com_Instance`]: 'return {}' }, 'ec2.aws.example.com', 'Instance').script).toMatchObject({ source: 'return {}', openLibs: true });
  });

  it('is no problem when empty', () => {
    expect(parseHealthConfig({ 'resource.customizations': '' }).problems).toEqual([]);
    expect(parseHealthConfig({ 'resource.customizations': '  \n' }).problems).toEqual([]);
  });
});

describe('parseHealthConfig: problems', () => {
  const problemsOf = (data: Record<string, string>) => parseHealthConfig(data).problems;

  it.each(['actions', 'ignoreDifferences', 'ignoreResourceUpdates', 'knownTypeFields'])('says %s customizations have no effect', (type) => {
    expect(problemsOf({ [`resource.customizations.${type}.x_Y`]: 'anything' })).toEqual([`resource.customizations.${type}.x_Y: Capstan does not support resource customizations of type ${type}; the key has no effect`]);
  });

  it('says so for ignoreDifferences.all too, and still reads the health scripts beside it', () => {
    const parsed = parseHealthConfig({ 'resource.customizations.ignoreDifferences.all': 'jsonPointers: [/status]', [`${health}.example.com_Widget`]: 'return nil' });
    expect(parsed.problems).toEqual(['resource.customizations.ignoreDifferences.all: Capstan does not support resource customizations of type ignoreDifferences; the key has no effect']);
    expect(parsed.customizations.size).toBe(1);
  });

  it('names an unknown type', () => {
    expect(problemsOf({ 'resource.customizations.healthz.x_Y': 'x' })).toEqual(['resource.customizations.healthz.x_Y: unknown resource customization type "healthz"']);
  });

  it.each(['a_b_c', 'example.com_', '', 'x__Y'])('says the group kind %j is malformed', (groupKind) => {
    const key = groupKind === '' ? health : `${health}.${groupKind}`;
    const parsed = parseHealthConfig({ [key]: 'return nil' });
    expect(parsed.problems).toEqual([`${key}: expected ${health}.<group>_<Kind> or ${health}.<Kind>`]);
    expect(parsed.customizations.size).toBe(0);
  });

  it('says a malformed useOpenLibs key is malformed', () => {
    expect(problemsOf({ [`${openLibs}.a_b_c`]: 'true' })).toEqual([`${openLibs}.a_b_c: expected ${openLibs}.<group>_<Kind> or ${openLibs}.<Kind>`]);
  });

  it('says a legacy value that is not YAML is not YAML, and keeps the split keys', () => {
    const parsed = parseHealthConfig({ 'resource.customizations': 'example.com/Widget:\n  health.lua: "unclosed\n', [`${health}.example.com_Gadget`]: 'return nil' });
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatch(/^resource\.customizations: not YAML \(.+\)$/);
    expect(parsed.customizations.scriptFor('example.com', 'Gadget')).toBeDefined();
  });

  it('says a legacy value that is not a map of maps, or holds fields of the wrong type or other customizations, is wrong', () => {
    expect(problemsOf({ 'resource.customizations': '- example.com/Widget\n' })).toEqual(['resource.customizations: expected a map of <group>/<Kind> to customizations']);
    expect(problemsOf({ 'resource.customizations': 'example.com/Widget: return nil\n' })).toEqual(['resource.customizations: example.com/Widget: expected a map']);
    expect(problemsOf({ 'resource.customizations': 'example.com/Widget:\n  health.lua: 5\n  health.lua.useOpenLibs: "yes"\n  actions: "{}"\n' })).toEqual([
      'resource.customizations: example.com/Widget: health.lua must be a string',
      'resource.customizations: example.com/Widget: health.lua.useOpenLibs must be a boolean',
      'resource.customizations: example.com/Widget: Capstan does not support actions; it has no effect',
    ]);
  });
});

describe('parseHealthConfig scripts, run through CustomHealthChecks', () => {
  const checks = new CustomHealthChecks();
  afterAll(async () => {
    await checks.close();
  });

  const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, status: { phase: 'Running: all good' } };
  const findPhase = 'if string.find(obj.status.phase, "^Running") then return { status = "Healthy", message = obj.status.phase } end\nreturn { status = "Progressing" }';

  it('gives string.find only to a script marked useOpenLibs', async () => {
    checks.use(parseHealthConfig({ [`${health}.example.com_Widget`]: findPhase }).customizations);
    const without = await checks.assess(widget);
    expect(without?.status).toBe('Unknown');
    expect(without?.message).toContain("global 'string'");
    expect(without?.message).toContain(`${capstanConfigName} key ${health}.example.com_Widget`);
    checks.use(parseHealthConfig({ [`${health}.example.com_Widget`]: findPhase, [`${openLibs}.example.com_Widget`]: 'true' }).customizations);
    await expect(checks.assess(widget)).resolves.toEqual({ status: 'Healthy', message: 'Running: all good' });
  });

  it('runs a legacy wildcard script on every kind it matches, and the built-in rules on others', async () => {
    const legacy = '"*.example.com/*":\n  health.lua: |\n    return { status = "Degraded", message = obj.kind .. " by wildcard" }\n';
    checks.use(parseHealthConfig({ 'resource.customizations': legacy }).customizations);
    await expect(checks.assess({ ...widget, apiVersion: 'shop.example.com/v1' })).resolves.toEqual({ status: 'Degraded', message: 'Widget by wildcard' });
    await expect(checks.assess({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).resolves.toBeNull();
  });
});

describe('parseHealthConfig: the legacy key read as YAML 1.1', () => {
  it.each([['yes', true], ['on', true], ['Y', true], ['no', false], ['off', false], ['true', true]])('takes a plain %s for useOpenLibs as %s, as go-yaml v2 does', (word, flag) => {
    const parsed = parseHealthConfig({ 'resource.customizations': `example.com/Widget:\n  health.lua: return nil\n  health.lua.useOpenLibs: ${word}\n` });
    expect(parsed.problems).toEqual([]);
    expect(parsed.customizations.scriptFor('example.com', 'Widget')?.openLibs).toBe(flag);
  });
});
