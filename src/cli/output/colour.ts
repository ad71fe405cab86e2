import { Option } from 'commander';

export interface Colours {
  readonly enabled: boolean;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

export const colourModes = ['auto', 'always', 'never'] as const;
export type ColourMode = (typeof colourModes)[number];

// Plain SGR codes rather than util.styleText: newer Node versions make styleText check process.stdout itself, which
// would undo `--color always` when output is piped.
const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** Colouring functions; with `enabled` false each returns its text unchanged. */
export function colours(enabled: boolean): Colours {
  if (!enabled) return { enabled, green: plain, red: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };
  return { enabled, green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

export interface ColourContext {
  /** Where the coloured text goes. */
  stream: NodeJS.WritableStream;
  /** Environment to read NO_COLOR from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** `always` and `never` decide; `auto` colours a terminal unless NO_COLOR is set to anything but ''. */
export function shouldColour(mode: ColourMode, context: ColourContext): boolean {
  if (mode !== 'auto') return mode === 'always';
  const noColour = (context.env ?? process.env).NO_COLOR;
  if (noColour !== undefined && noColour !== '') return false;
  return 'isTTY' in context.stream && context.stream.isTTY === true;
}

/** Colours for `stream` under `mode`. */
export function coloursFor(mode: ColourMode, context: ColourContext): Colours {
  return colours(shouldColour(mode, context));
}

/** The `--color <when>` option: auto (default), always or never. */
export function colourOption(): Option {
  return new Option('--color <when>', 'colour the output: auto (a terminal without NO_COLOR), always or never')
    .choices(colourModes)
    .default('auto');
}
