/**
 * Writes `files.json` into a built models folder: size and SHA-256 of every file (not the
 * build's .br/.gz copies, which a server sends for the same URL). See src/core/model-files.ts.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MODEL_FILES, type ModelFileList } from '../src/core/model-files.ts';
import { isEncodedCopy } from './precompress.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

export function modelFileList(modelsDir: string): ModelFileList {
  const files: ModelFileList['files'] = {};
  for (const path of filesUnder(modelsDir).sort()) {
    const name = relative(modelsDir, path).split(sep).join('/');
    if (name === MODEL_FILES || isEncodedCopy(name)) continue;
    const bytes = readFileSync(path);
    files[name] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return { format: 'pulse-model-files', version: 1, files };
}

export function writeModelFileList(modelsDir: string): ModelFileList {
  const list = modelFileList(modelsDir);
  writeFileSync(join(modelsDir, MODEL_FILES), `${JSON.stringify(list, null, 1)}\n`);
  return list;
}
