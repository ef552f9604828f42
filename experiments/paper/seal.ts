/**
 * Sealed JSON files: records, best-epoch replays and job checkpoints are JSON objects whose last field, "sha256",
 * is the SHA-256 of the object's text without it. A file that was truncated, edited or half-written fails the check
 * and is refused by its reader (set aside, never used).
 */
import { createHash } from 'crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The sealed text of the JSON object `objectText` (as JSON.stringify writes it): the same object with "sha256"
 * appended. It equals JSON.stringify({ ...payload, sha256 }), so a caller that builds a large payload's text in
 * pieces (a checkpoint's trainer state) never stringifies it twice.
 */
export function sealText(objectText: string): string {
  if (!objectText.startsWith('{') || !objectText.endsWith('}') || objectText === '{}')
    throw new Error('sealText: expected the text of a non-empty JSON object');
  return `${objectText.slice(0, -1)},"sha256":"${sha256(objectText)}"}`;
}

/** The sealed text of `payload`. */
export function seal(payload: object): string {
  return sealText(JSON.stringify(payload));
}

/** Why the parsed object `raw` does not carry the seal of its own content, or null when it does. */
export function sealProblem(raw: Record<string, unknown>): string | null {
  const { sha256: sum, ...payload } = raw;
  return typeof sum === 'string' && sha256(JSON.stringify(payload)) === sum
    ? null
    : 'its checksum does not match its content';
}
