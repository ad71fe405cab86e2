// Output helpers shared by the capstan commands: formats, tables, colour, and the streams a command uses.
export { colourModes, colourOption, colours, coloursFor, shouldColour, type ColourContext, type ColourMode, type Colours } from './colour.js';
export { colourDiff } from './diff-colour.js';
export {
  isStructured,
  locatedMessage,
  OutputFormatError,
  outputFormats,
  outputOption,
  parseOutputFormat,
  printStructured,
  toJson,
  toYaml,
  toYamlDocuments,
  type OutputFormat,
  type StructuredFormat,
} from './format.js';
export { processIO, readAllText, type CommandIO } from './io.js';
export { colourHealth, colourSync } from './status-colour.js';
export { emptyCell, humanAge, humanDuration, renderTable, visibleWidth } from './table.js';
export { jsonTerminalSafe, terminalSafe, terminalSafeDeep, terminalSafeKeepingColour, terminalSafeLines } from './terminal-safe.js';
