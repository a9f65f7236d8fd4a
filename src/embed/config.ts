/**
 * Where Pulse finds its files and how it starts, read from the script tag's data-
 * attributes or passed to `pulse('init', {...})`. Every asset of Pulse is resolved relative
 * to the script's own URL (or `base`), so a shop self-hosts one folder and nothing comes
 * from anywhere else.
 */
import type { BackendName } from '../core/types.ts';
import { RATIONALE_METHODS, type SlmOptions } from '../slm/slm-types.ts';

export interface EmbedConfig {
  /** Absolute URL of the shop's catalog JSON; null until given. */
  catalogUrl: string | null;
  /** Absolute URL of the folder holding pulse.js, pulse/ and models/; ends with "/". */
  base: string;
  /** Absolute URL of the models folder (default: base + "models"). */
  modelsUrl: string;
  vectorsUrl?: string;
  backend?: BackendName;
  /** May Pulse store the history on this device? Default true (see docs/embed.md, "Consent"). */
  consent: boolean;
  dbName?: string;
  /** The language model's options (createPulse's `slm`); absent: Pulse's defaults. */
  slm?: SlmOptions;
  /** The Thought Space folder under the models URL, or false for none; absent: createPulse's default. */
  thoughtSpace?: string | false;
  /** The shop's own words for the widget; absent: the defaults. */
  texts?: ShopTexts;
  /** Where the shop's pulse.config.json is read from when no catalog is configured (default: next to pulse.js). */
  configUrl: string;
}

/** Shopper-facing words a shop may set (pulse.config.json "texts", or pulse('init', {texts})). */
export interface ShopTexts {
  /** The widget's heading. Default "Recommended for you". */
  heading?: string;
  /** The reason shown on a popular (cold-start) item. Default "Popular in this shop". */
  popular?: string;
  loading?: string;
  empty?: string;
  error?: string;
}
const TEXT_KEYS: readonly string[] = ['heading', 'popular', 'loading', 'empty', 'error'];

/** What `pulse('init', …)` accepts; the same names as the data- attributes. */
export interface EmbedInit {
  catalog?: string;
  base?: string;
  models?: string;
  vectors?: string;
  backend?: BackendName;
  consent?: boolean;
  dbName?: string;
  /** false: no language model (evidence-based whys only); or createPulse's `slm` options. */
  slm?: false | SlmOptions;
  /** A Thought Space folder under the models URL, or false: rank by text similarity. */
  thoughtSpace?: string | false;
  texts?: ShopTexts;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const BACKENDS: readonly string[] = ['webgpu', 'wasm', 'cpu'];
const SLM_DEVICES: readonly string[] = ['auto', 'webgpu', 'wasm'];
const SLM_KEYS: readonly string[] = ['enabled', 'model', 'device', 'dtype', 'remoteHost', 'timeoutMs', 'candidates', 'maxNewTokens', 'method'];
const SLM_METHODS: readonly string[] = RATIONALE_METHODS;

/** Checks the shape here, where the shop's mistake is made; the worker checks files and values it reads. */
function parseSlm(value: false | SlmOptions): SlmOptions {
  if (value === false) return { enabled: false };
  if (typeof value !== 'object' || value === null) throw new ConfigError('slm must be false or an options object');
  for (const key of Object.keys(value)) {
    if (!SLM_KEYS.includes(key)) throw new ConfigError(`slm: unknown option "${key}" (known: ${SLM_KEYS.join(', ')})`);
  }
  if (value.device !== undefined && !SLM_DEVICES.includes(value.device)) throw new ConfigError(`slm.device must be one of ${SLM_DEVICES.join(', ')}; got "${value.device}"`);
  if (value.method !== undefined && !SLM_METHODS.includes(value.method)) throw new ConfigError(`slm.method must be one of ${SLM_METHODS.join(', ')}; got "${value.method}"`);
  return value;
}

/** data-slm: "off", or the device to run it on. */
function slmAttribute(value: string): SlmOptions {
  if (value === 'off') return { enabled: false };
  if (SLM_DEVICES.includes(value)) return { device: value as NonNullable<SlmOptions['device']> };
  throw new ConfigError(`data-slm must be off, ${SLM_DEVICES.join(', ')}; got "${value}"`);
}

/** Checks a shop's texts (pulse.config.json "texts", init's texts, pulse build --texts). */
export function parseShopTexts(value: unknown): ShopTexts {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError('texts must be an object such as {"popular": "Popular in this shop"}');
  const texts: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    if (!TEXT_KEYS.includes(key)) throw new ConfigError(`texts: unknown text "${key}" (known: ${TEXT_KEYS.join(', ')})`);
    if (typeof text !== 'string' || text.trim() === '') throw new ConfigError(`texts.${key} must be a non-empty string`);
    texts[key] = text;
  }
  return texts;
}

function folder(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function parseConsent(value: string | boolean | undefined | null, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`data-consent must be "true" or "false"; got "${value}"`);
}

/**
 * Applies `init` on top of a config. Relative URLs are resolved against the page (a
 * catalog is the shop's file) except models and vectors, which follow `base`.
 */
export function applyInit(config: EmbedConfig, init: EmbedInit, pageUrl: string): EmbedConfig {
  if (typeof init !== 'object' || init === null) throw new ConfigError('pulse("init", options) needs an options object');
  const known = ['catalog', 'base', 'models', 'vectors', 'backend', 'consent', 'dbName', 'slm', 'thoughtSpace', 'texts'];
  for (const key of Object.keys(init)) {
    if (!known.includes(key)) throw new ConfigError(`pulse("init"): unknown option "${key}" (known: ${known.join(', ')})`);
  }
  if (init.backend !== undefined && !BACKENDS.includes(init.backend)) {
    throw new ConfigError(`backend must be one of ${BACKENDS.join(', ')}; got "${init.backend}"`);
  }
  const base = init.base ? folder(new URL(init.base, pageUrl).href) : config.base;
  const baseChanged = base !== config.base;
  const next: EmbedConfig = {
    ...config,
    base,
    catalogUrl: init.catalog ? new URL(init.catalog, pageUrl).href : config.catalogUrl,
    modelsUrl: init.models ? new URL(init.models, base).href : baseChanged ? new URL('models', base).href : config.modelsUrl,
    consent: parseConsent(init.consent, config.consent),
  };
  if (init.vectors) next.vectorsUrl = new URL(init.vectors, pageUrl).href;
  if (init.backend) next.backend = init.backend;
  if (init.dbName) next.dbName = init.dbName;
  if (init.slm !== undefined) next.slm = parseSlm(init.slm);
  if (init.thoughtSpace !== undefined) {
    if (init.thoughtSpace !== false && (typeof init.thoughtSpace !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(init.thoughtSpace))) {
      throw new ConfigError(`thoughtSpace must be false or a folder name under the models URL; got ${JSON.stringify(init.thoughtSpace)}`);
    }
    next.thoughtSpace = init.thoughtSpace;
  }
  if (init.texts !== undefined) next.texts = { ...next.texts, ...parseShopTexts(init.texts) };
  if (baseChanged) next.configUrl = new URL(SHOP_CONFIG_FILE, base).href;
  return next;
}

/**
 * The config of a `<script src=".../pulse.js" data-…>` tag. `scriptUrl` is null when the
 * script has no src (inlined): then `data-base` is required, since there is nothing to be
 * relative to.
 */
export function readScriptConfig(data: Readonly<Record<string, string | undefined>>, scriptUrl: string | null, pageUrl: string): EmbedConfig {
  const baseSource = data.base ?? (scriptUrl ? new URL('.', scriptUrl).href : null);
  if (baseSource === null) throw new ConfigError('pulse.js was not loaded from a URL: set data-base to the folder that holds pulse.js');
  const base = folder(new URL(baseSource, pageUrl).href);
  const start: EmbedConfig = {
    catalogUrl: null,
    base,
    modelsUrl: new URL('models', base).href,
    consent: true,
    configUrl: new URL(data.config ?? SHOP_CONFIG_FILE, data.config ? pageUrl : base).href,
  };
  const init: EmbedInit = {};
  if (data.catalog) init.catalog = data.catalog;
  if (data.models) init.models = data.models;
  if (data.vectors) init.vectors = data.vectors;
  if (data.backend) init.backend = data.backend as BackendName;
  if (data.db) init.dbName = data.db;
  if (data.slm !== undefined || data.slmModel !== undefined) {
    init.slm = { ...(data.slm !== undefined ? slmAttribute(data.slm) : {}), ...(data.slmModel !== undefined ? { model: data.slmModel } : {}) };
  }
  return { ...applyInit(start, init, pageUrl), consent: parseConsent(data.consent, true) };
}

/** Set by the build (scripts/embed-build.ts): a hash of the runtime this loader was built with. */
declare const __PULSE_RUNTIME_VERSION__: string | undefined;

/**
 * The lazily loaded runtime module, next to pulse.js. The build's hash goes in the query,
 * so a cached runtime from an earlier release is never paired with a new pulse.js.
 */
export function runtimeUrl(config: EmbedConfig): string {
  const url = new URL('pulse/runtime.js', config.base);
  if (typeof __PULSE_RUNTIME_VERSION__ === 'string') url.searchParams.set('v', __PULSE_RUNTIME_VERSION__);
  return url.href;
}

/** Set by the build (scripts/embed-build.ts): the worker's file under pulse/, e.g. "assets/worker-AbCd1234.js". */
declare const __PULSE_WORKER_FILE__: string | undefined;

/**
 * The worker of the runtime this loader was built with, so pulse.js can start it while the
 * runtime module and the catalog still load; null where the build did not say (tests, dev).
 */
export function workerUrl(config: EmbedConfig): string | null {
  return typeof __PULSE_WORKER_FILE__ === 'string' ? new URL(`pulse/${__PULSE_WORKER_FILE__}`, config.base).href : null;
}

/** The file `pulse build` writes next to pulse.js; the loader reads it when no catalog is configured. */
export const SHOP_CONFIG_FILE = 'pulse.config.json';
export const SHOP_CONFIG_FORMAT = 'pulse-config';

/** pulse.config.json: what a shop's folder holds and how Pulse should run on it. */
export interface ShopConfigFile {
  format: typeof SHOP_CONFIG_FORMAT;
  version: 1;
  /** Paths relative to this file. */
  catalog: string;
  vectors?: string;
  models?: string;
  /** A Thought Space trained on this shop's logs (a folder under models), or false. */
  thoughtSpace?: string | false;
  /** false: no language model, none downloaded. */
  slm?: false | SlmOptions;
  texts?: ShopTexts;
}

const SHOP_CONFIG_KEYS: readonly string[] = ['format', 'version', 'catalog', 'vectors', 'models', 'thoughtSpace', 'slm', 'texts', 'build'];

/**
 * A parsed pulse.config.json as `init` options, its relative paths resolved against the
 * file's own URL (the folder `pulse build` wrote), so the folder can be hosted anywhere.
 */
export function parseShopConfig(raw: unknown, configUrl: string): EmbedInit {
  const where = `${configUrl}:`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${where} expected a JSON object`);
  const file = raw as Record<string, unknown>;
  if (file.format !== SHOP_CONFIG_FORMAT) throw new ConfigError(`${where} "format" must be "${SHOP_CONFIG_FORMAT}" (made by pulse build)`);
  if (file.version !== 1) throw new ConfigError(`${where} version ${JSON.stringify(file.version)} is not supported (this Pulse reads version 1)`);
  for (const key of Object.keys(file)) {
    if (!SHOP_CONFIG_KEYS.includes(key)) throw new ConfigError(`${where} unknown field "${key}" (known: ${SHOP_CONFIG_KEYS.join(', ')})`);
  }
  const path = (key: string): string | undefined => {
    const value = file[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new ConfigError(`${where} "${key}" must be a path relative to this file`);
    return new URL(value, configUrl).href;
  };
  const catalog = path('catalog');
  if (!catalog) throw new ConfigError(`${where} "catalog" is required`);
  const init: EmbedInit = { catalog };
  const vectors = path('vectors');
  const models = path('models');
  if (vectors) init.vectors = vectors;
  if (models) init.models = models;
  if (file.thoughtSpace !== undefined) init.thoughtSpace = file.thoughtSpace as string | false;
  if (file.slm !== undefined) init.slm = file.slm as false | SlmOptions;
  if (file.texts !== undefined) init.texts = file.texts as ShopTexts;
  return init;
}

/** Fetches and parses the shop's config; null when the file is not there (404). */
export async function loadShopConfig(configUrl: string, fetchFile: (url: string) => Promise<Response> = fetch): Promise<EmbedInit | null> {
  let response: Response;
  try {
    response = await fetchFile(configUrl);
  } catch (error) {
    throw new ConfigError(`could not fetch ${configUrl}: ${String(error)}`);
  }
  if (response.status === 404) return null;
  if (!response.ok) throw new ConfigError(`${configUrl}: HTTP ${response.status}`);
  let raw: unknown;
  try {
    raw = await response.json();
  } catch {
    throw new ConfigError(`${configUrl} is not valid JSON`);
  }
  return parseShopConfig(raw, configUrl);
}
