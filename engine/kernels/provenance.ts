/**
 * Which build computed a result. Same seed, same bits holds only on the same arithmetic: the same backend (its thread
 * count included, which fixes the summation order), the same WebAssembly module (the fused multiply-add build rounds
 * differently from the plain one) and the same engine code around it. A KernelBuild names all three, and the runtime
 * beside them; run.json, paper records, job checkpoints and replays carry one, and `buildMismatch` says why two
 * differ. The engine version is bumped whenever the arithmetic of a released path changes (the fixture and bit
 * specs guard it between releases).
 */
import type { Backend } from '../step/backend';
import { RnnlabError } from '../core/tensor';

/** The engine's version, as in engine/package.json (spec/engine/provenance.spec.ts checks that they agree). */
export const ENGINE_VERSION = '0.1.0';

export interface KernelBuild {
  /** The backend as it ran, e.g. 'wasm-simd+fma x2 threads', 'js', 'gpujs:webgpu'. */
  backend: string;
  /** What fixes its arithmetic: the WebAssembly module's SHA-256 prefix, or the engine's own loops. */
  kernel: string;
  /** '@rnnlab/engine <version>'. */
  engine: string;
  /** Where it ran: 'node v20.20.2 (V8 11.3…)' or the browser's user agent. */
  runtime: string;
}

const KEYS = ['backend', 'kernel', 'engine', 'runtime'] as const;

/** The runtime that is running this code, in one line. */
function runtimeName(): string {
  const p = (globalThis as { process?: { version?: string; versions?: { v8?: string } } }).process;
  if (p?.version && p.versions?.v8) return `node ${p.version} (V8 ${p.versions.v8})`;
  const nav = (globalThis as { navigator?: { userAgent?: string } }).navigator;
  return nav?.userAgent ? `browser ${nav.userAgent}` : 'unknown runtime';
}

/** The build of `backend` in this process. */
export function kernelBuildOf(backend: Pick<Backend, 'name' | 'build' | 'device'>): KernelBuild {
  return {
    backend: backend.name,
    kernel:
      backend.build ??
      (backend.device
        ? `${backend.name} on ${backend.device}`
        : `${backend.name.split(' ')[0]}: the engine's own loops`),
    engine: `@rnnlab/engine ${ENGINE_VERSION}`,
    runtime: runtimeName(),
  };
}

/**
 * Why a result made on `recorded` need not reproduce bit for bit on `current` (backend, kernel or engine differ), or
 * null when it should. A different runtime alone is not a mismatch (the kernels' arithmetic is IEEE and fixed by the
 * module), but it is named by `runtimeDiffers`.
 */
export function buildMismatch(recorded: KernelBuild, current: KernelBuild): string | null {
  const diff = (['backend', 'kernel', 'engine'] as const).filter((k) => recorded[k] !== current[k]);
  if (!diff.length) return null;
  return diff.map((k) => `${k} ${JSON.stringify(recorded[k])} there, ${JSON.stringify(current[k])} here`).join('; ');
}

export function runtimeDiffers(recorded: KernelBuild, current: KernelBuild): boolean {
  return recorded.runtime !== current.runtime;
}

/** `raw` as a KernelBuild (read from a file: four strings of at most 300 characters), or an error naming `what`. */
export function checkedKernelBuild(raw: unknown, what: string): KernelBuild {
  const r = raw as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RnnlabError(`${what}: the kernel build is not an object`);
  for (const k of KEYS)
    if (typeof r[k] !== 'string' || (r[k] as string).length === 0 || (r[k] as string).length > 300)
      throw new RnnlabError(`${what}: the kernel build's "${k}" is not a string of 1 to 300 characters`);
  const extra = Object.keys(r).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (extra.length) throw new RnnlabError(`${what}: the kernel build has unknown fields (${extra.join(', ')})`);
  return {
    backend: r.backend as string,
    kernel: r.kernel as string,
    engine: r.engine as string,
    runtime: r.runtime as string,
  };
}
