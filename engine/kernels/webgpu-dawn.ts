/**
 * WebGPU for gpu.js in Node: Dawn's native binding (npm `webgpu`) installed as `navigator.gpu` in the current thread.
 *
 * Dawn backends are tried in order (or only the one asked for: the dawnBackend option of createGpuJsBackend, or
 * the environment variable RNNLAB_WEBGPU_BACKEND = vulkan | opengles):
 *   vulkan    a real GPU's driver (NVIDIA, AMD, Intel) or Mesa's lavapipe; core WebGPU
 *   opengles  OpenGL ES through EGL, in WebGPU's compatibility mode: on a machine without a GPU this is Mesa's
 *             llvmpipe rasteriser (needs EGL_PLATFORM=surfaceless in the process environment, set by the caller
 *             before this thread started; Debian: libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)
 * gpu.js asks the device only for buffer-size limits, so the default of 8 storage buffers per shader stage would
 * apply; the shim requests the adapter's real maximum (shared/docs/gpujs-backends.md, pitfall 2).
 */
import * as fs from 'fs';

export interface DawnAdapter {
  backend: 'vulkan' | 'opengles';
  /** e.g. "llvmpipe-llvm-15-0-6-256-bits- (OpenGL version OpenGL ES 3.2 Mesa 22.3.6)" */
  description: string;
  compatibility: boolean;
}

interface GpuAdapterLike {
  limits: { maxStorageBuffersPerShaderStage: number };
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  requestDevice(d?: { requiredLimits?: Record<string, number> }): Promise<unknown>;
}
interface DawnGpu {
  requestAdapter(o?: object): Promise<GpuAdapterLike | null>;
}

/** Whether a Vulkan driver is registered (an ICD file), so that trying Dawn's Vulkan backend can find a device. */
function vulkanIcdPresent(): boolean {
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return true;
  const dirs = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
  return dirs.some((d) => {
    try {
      return fs.readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

/**
 * Install Dawn as navigator.gpu in this thread. Call it in a thread whose process.env is the real environment
 * (the main thread, or a worker with env: SHARE_ENV): EGL_PLATFORM=surfaceless is set there when unset.
 */
export async function installDawnNavigator(only?: DawnAdapter['backend']): Promise<DawnAdapter> {
  if (process.env.EGL_PLATFORM === undefined) process.env.EGL_PLATFORM = 'surfaceless';
  const { create, globals } = require('webgpu') as { create(flags: string[]): DawnGpu; globals: object };
  Object.assign(globalThis, globals);
  const wanted = only ?? (process.env.RNNLAB_WEBGPU_BACKEND as DawnAdapter['backend'] | undefined);
  if (wanted && wanted !== 'vulkan' && wanted !== 'opengles')
    throw new Error(
      `the Dawn backend must be vulkan or opengles (RNNLAB_WEBGPU_BACKEND or the dawnBackend option), got "${wanted}"`,
    );
  // Vulkan only where a driver is registered (otherwise Dawn just prints that it could not load libvulkan).
  const order: Array<DawnAdapter['backend']> = wanted
    ? [wanted]
    : vulkanIcdPresent()
      ? ['vulkan', 'opengles']
      : ['opengles'];
  const tried: string[] = [];
  for (const backend of order) {
    const dawn = create([`backend=${backend}`]);
    const compatibility = backend === 'opengles';
    const adapter = await dawn.requestAdapter(compatibility ? { featureLevel: 'compatibility' } : {});
    if (!adapter) {
      tried.push(backend);
      continue;
    }
    const info = adapter.info ?? {};
    const description = [
      info.device || info.vendor || 'unknown device',
      info.description ? `(${info.description})` : '',
    ]
      .join(' ')
      .trim();
    (globalThis as { navigator?: unknown }).navigator = {
      gpu: {
        getPreferredCanvasFormat: () => 'rgba8unorm',
        requestAdapter: async (o: object = {}) => {
          const ad = await dawn.requestAdapter({ ...(compatibility ? { featureLevel: 'compatibility' } : {}), ...o });
          if (ad) {
            const requestDevice = ad.requestDevice.bind(ad);
            ad.requestDevice = (d = {}) =>
              requestDevice({
                ...d,
                requiredLimits: {
                  ...d.requiredLimits,
                  maxStorageBuffersPerShaderStage: ad.limits.maxStorageBuffersPerShaderStage,
                },
              });
          }
          return ad;
        },
      },
    };
    return { backend, description, compatibility };
  }
  throw new Error(
    `no WebGPU adapter from Dawn (tried ${tried.join(', ')}): no Vulkan driver (libvulkan1 plus a GPU driver or ` +
      `mesa-vulkan-drivers), and no OpenGL ES through EGL (libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri, with ` +
      `EGL_PLATFORM=surfaceless in the environment)`,
  );
}
