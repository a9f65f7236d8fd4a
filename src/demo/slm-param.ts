/**
 * Reads the SLM choice from the demo URL, so a site owner (or a test) can try a model
 * without editing code: `?slm=SmolLM2-135M-Instruct&slmDevice=webgpu&slmDtype=fp32`
 * (also slmTimeoutMs, slmMaxNewTokens, slmCandidates, and slmMethod=tot for the paper's Tree-of-Thought),
 * `?slm=off` for evidence-only whys. Invalid values are ignored and reported.
 */
import { isModelName } from '../slm/slm-manifest.ts';
import { RATIONALE_METHODS, SLM_DTYPES, type SlmDtype, type SlmOptions } from '../slm/slm-types.ts';

export interface SlmChoice {
  options: SlmOptions;
  /** Parameters given with values that are not usable, as `name=value`. */
  ignored: string[];
}

export function slmFromQuery(search: string): SlmChoice {
  const params = new URLSearchParams(search);
  const options: SlmOptions = {};
  const ignored: string[] = [];
  const model = params.get('slm')?.trim();
  if (model === 'off') options.enabled = false;
  else if (model) {
    if (isModelName(model)) options.model = model;
    else ignored.push(`slm=${model}`);
  }
  const device = params.get('slmDevice')?.trim().toLowerCase();
  if (device) {
    if (device === 'webgpu' || device === 'wasm' || device === 'auto') options.device = device;
    else ignored.push(`slmDevice=${device}`);
  }
  const dtype = params.get('slmDtype')?.trim().toLowerCase();
  if (dtype) {
    if ((SLM_DTYPES as readonly string[]).includes(dtype)) options.dtype = dtype as SlmDtype;
    else ignored.push(`slmDtype=${dtype}`);
  }
  const method = params.get('slmMethod')?.trim().toLowerCase();
  if (method) {
    const known = RATIONALE_METHODS.find((m) => m === method);
    if (known) options.method = known;
    else ignored.push(`slmMethod=${method}`);
  }
  for (const [name, key] of [['slmTimeoutMs', 'timeoutMs'], ['slmMaxNewTokens', 'maxNewTokens'], ['slmCandidates', 'candidates']] as const) {
    if (!params.has(name)) continue;
    const value = Number(params.get(name));
    if (Number.isInteger(value) && value > 0) options[key] = value;
    else ignored.push(`${name}=${params.get(name)}`);
  }
  return { options, ignored };
}
