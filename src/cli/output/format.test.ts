import { describe, expect, it } from '@jest/globals';
import { Command, CommanderError } from 'commander';
import yaml from 'js-yaml';
import { locatedMessage, OutputFormatError, outputOption, parseOutputFormat, printStructured, toYamlDocuments, type OutputFormat } from './format.js';
import { TextSink } from './testing/capture.js';

describe('parseOutputFormat', () => {
  const allowed: readonly OutputFormat[] = ['table', 'json', 'yaml'];

  it('accepts an allowed format and defaults to the first one', () => {
    expect(parseOutputFormat('json', allowed)).toBe('json');
    expect(parseOutputFormat(undefined, allowed)).toBe('table');
    expect(parseOutputFormat('', ['yaml', 'json'])).toBe('yaml');
  });

  it('rejects any other value with an error that names the allowed ones', () => {
    expect(() => parseOutputFormat('wide', allowed)).toThrow('unknown output format "wide": use one of table, json, yaml');
    expect(() => parseOutputFormat('JSON', allowed)).toThrow(OutputFormatError);
    const thrown = ((): unknown => {
      try {
        parseOutputFormat('xml', allowed);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(OutputFormatError);
    expect(thrown).toMatchObject({ code: 'InvalidOutputFormat', value: 'xml', allowed });
  });
});

describe('outputOption', () => {
  function parse(args: string[]): { output: unknown; errors: string } {
    let errors = '';
    const program = new Command()
      .exitOverride()
      .configureOutput({ writeErr: (s) => (errors += s) })
      .addOption(outputOption(['table', 'wide', 'json']));
    try {
      program.parse(['node', 'x', ...args]);
    } catch (err) {
      if (!(err instanceof CommanderError)) throw err;
    }
    return { output: program.opts().output, errors };
  }

  it('parses -o and --output, defaulting to the first format', () => {
    expect(parse([]).output).toBe('table');
    expect(parse(['-o', 'wide']).output).toBe('wide');
    expect(parse(['--output=json']).output).toBe('json');
  });

  it('turns a wrong value into a usage error naming the allowed formats', () => {
    expect(parse(['-o', 'yaml']).errors).toContain('unknown output format "yaml": use one of table, wide, json');
  });
});

describe('printStructured', () => {
  const value = { kind: 'List', items: [{ name: 'a', shared: [1, 2] }], note: 'x'.repeat(200) };

  it('prints JSON with two-space indentation and a final newline', () => {
    const out = new TextSink();
    printStructured(value, 'json', out);
    expect(out.text()).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it('prints YAML without anchors or folded lines, quoting strings YAML 1.1 readers would change', () => {
    const shared = { a: 1 };
    const out = new TextSink();
    printStructured({ first: shared, second: shared, long: 'y'.repeat(200), flag: 'yes' }, 'yaml', out);
    const text = out.text();
    expect(text).not.toMatch(/[&*]ref/);
    expect(text).toContain(`long: ${'y'.repeat(200)}\n`);
    expect(text).toContain("flag: 'yes'\n");
    expect(yaml.load(text)).toEqual({ first: { a: 1 }, second: { a: 1 }, long: 'y'.repeat(200), flag: 'yes' });
  });
});

describe('toYamlDocuments', () => {
  it('separates documents with ---, and is empty for none', () => {
    expect(toYamlDocuments([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
    expect(toYamlDocuments([])).toBe('');
  });
});

describe('locatedMessage', () => {
  it('writes file:line: message, or file: message without a line', () => {
    expect(locatedMessage('app/web.yaml', 3, 'bad indentation')).toBe('app/web.yaml:3: bad indentation');
    expect(locatedMessage('app', undefined, 'not found')).toBe('app: not found');
  });
});
