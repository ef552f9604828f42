/**
 * Text handling that needs no file system: JSON parsing with a message that names what was parsed, and making
 * strings read from files safe to print. (Browser-safe; the file functions live in io.ts, behind the /node entry.)
 */
import { RnnlabError } from '../core/tensor';

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RnnlabError(`${what} is not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Text from a file (a task name in run.json, a Keras version string) made safe for a terminal: C0 and C1 control
 * characters (ESC sequences can move the cursor, retitle the window or hide text) become U+FFFD; newline and tab stay.
 */
export function terminalSafe(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd').replace(BIDI_CONTROLS, '\ufffd');
}

/**
 * Unicode's direction controls (LRM, RLM, ALM, LRE … RLO, LRI … PDI): U+202E makes a terminal show the rest of a
 * line reversed, so a file's text could disguise what it prints. They never belong in rnnlab's output.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** terminalSafe for text that must stay one line (an error message): a newline from a file cannot forge a line. */
export function terminalLine(s: string): string {
  return terminalSafe(s).replace(/[\n\r]/g, '\ufffd');
}
