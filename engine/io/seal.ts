/**
 * The one seal of every file rnnlab writes for itself: model files, training checkpoints, experiment records, job
 * checkpoints and best-epoch replays are JSON objects whose last field, "sha256", is the SHA-256 (sha256.ts, plain
 * TypeScript, so browsers seal the same way) of the object's text without it. A file that was truncated, edited or
 * half-written fails the check and is refused by its reader.
 */
import { sha256Hex } from './sha256';

/** The payload with its seal as the last key: JSON.stringify of the result is the sealed text. */
export function sealObject<T extends object>(payload: T): T & { sha256: string } {
  return { ...payload, sha256: sha256Hex(JSON.stringify(payload)) };
}

/**
 * The sealed text of the JSON object `objectText` (as JSON.stringify writes it): the same object with "sha256"
 * appended. It equals JSON.stringify(sealObject(payload)), so a caller that builds a large payload's text in pieces
 * (a checkpoint's trainer state) never stringifies it twice.
 */
export function sealText(objectText: string): string {
  if (!objectText.startsWith('{') || !objectText.endsWith('}') || objectText === '{}')
    throw new Error('sealText: expected the text of a non-empty JSON object');
  return `${objectText.slice(0, -1)},"sha256":"${sha256Hex(objectText)}"}`;
}

/** The sealed text of `payload`. */
export function seal(payload: object): string {
  return sealText(JSON.stringify(payload));
}

/** Whether the parsed object `raw` carries the seal of its own content: 'missing', 'mismatch', or null when it does. */
export function checkSeal(raw: Record<string, unknown>): 'missing' | 'mismatch' | null {
  const { sha256: sum, ...payload } = raw;
  if (typeof sum !== 'string') return 'missing';
  return sha256Hex(JSON.stringify(payload)) === sum ? null : 'mismatch';
}

/** Why `raw` does not carry its seal, in the words the experiment records use, or null when it does. */
export function sealProblem(raw: Record<string, unknown>): string | null {
  return checkSeal(raw) === null ? null : 'its checksum does not match its content';
}
