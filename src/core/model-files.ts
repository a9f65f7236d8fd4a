/**
 * The build's list of model files (`models/files.json`): every file under models/ with its
 * size and SHA-256. The worker's asset cache (src/worker/asset-cache.ts) keys cached bytes by
 * that hash, so a file is fetched again exactly when its content changed, and a corrupt
 * cached copy is recognised and replaced. Written by scripts/model-file-list.ts at build time.
 */
export const MODEL_FILES = 'files.json';

export interface ModelFileEntry {
  bytes: number;
  sha256: string;
}

export interface ModelFileList {
  format: 'pulse-model-files';
  version: 1;
  /** Paths relative to the models folder, "/"-separated. */
  files: Record<string, ModelFileEntry>;
}

export class ModelFileListError extends Error {
  override name = 'ModelFileListError';
}

export function parseModelFileList(raw: unknown): ModelFileList {
  const m = raw as Partial<ModelFileList> | null;
  if (!m || m.format !== 'pulse-model-files' || m.version !== 1 || typeof m.files !== 'object' || m.files === null) {
    throw new ModelFileListError('not a pulse-model-files v1 list');
  }
  for (const [path, entry] of Object.entries(m.files)) {
    if (!entry || !Number.isInteger(entry.bytes) || entry.bytes < 0 || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) {
      throw new ModelFileListError(`bad entry for ${path}: needs bytes and a hex sha256`);
    }
  }
  return m as ModelFileList;
}

export function toHex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
