import { ConfigError } from './parsers.ts';
import { VARIABLES, type Config, type VariableName } from './schema.ts';

/**
 * Validates every variable in `env` and returns the configuration, or throws a `ConfigError`
 * for the first invalid one. Empty strings count as unset, as in most `.env` files.
 */
export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<Config> = {}): Config {
  const config: Record<string, unknown> = {};
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    if (name in overrides) {
      config[name] = overrides[name];
      continue;
    }
    const spec = VARIABLES[name];
    const provided = env[name] === '' ? undefined : env[name];
    const raw = provided ?? spec.fallback;
    config[name] = raw === undefined ? undefined : spec.parser.parse(name, raw);
  }
  checkRelations(config as Config);
  return config as Config;
}

function checkRelations(config: Config): void {
  if (config.RECONNECT_MIN_MS > config.RECONNECT_MAX_MS) {
    throw new ConfigError('RECONNECT_MIN_MS', String(config.RECONNECT_MIN_MS), `at most RECONNECT_MAX_MS (${config.RECONNECT_MAX_MS})`);
  }
  if (config.NEGATIVE_THRESHOLD >= config.POSITIVE_THRESHOLD) {
    throw new ConfigError('NEGATIVE_THRESHOLD', String(config.NEGATIVE_THRESHOLD), `below POSITIVE_THRESHOLD (${config.POSITIVE_THRESHOLD})`);
  }
  if (config.JETSTREAM_COMPRESS && !config.ZSTD_DICTIONARY_PATH) {
    throw new ConfigError('ZSTD_DICTIONARY_PATH', '', "the path of Jetstream's zstd dictionary file when JETSTREAM_COMPRESS=true");
  }
}

/** Renders the `--help` text: every variable with its default, unit and meaning. */
export function helpText(): string {
  const lines = [
    'skypulse: real-time sentiment of the Bluesky network',
    '',
    'Usage:',
    '  skypulse [serve]                 start the service (default)',
    '  skypulse record [options]        write raw Jetstream frames to an NDJSON file',
    '  skypulse replay [options]        serve an NDJSON capture as a Jetstream endpoint on 127.0.0.1',
    '  skypulse <command> --help        options of one command',
    '',
    'Environment variables (serve):',
  ];
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const spec: { fallback: string | undefined; unit?: string; help: string; parser: { form: string } } = VARIABLES[name];
    const fallback = spec.fallback === undefined ? 'unset' : spec.fallback;
    const unit = spec.unit ? ` [${spec.unit}]` : '';
    lines.push(`  ${name}${unit}`);
    lines.push(`      ${spec.help}`);
    lines.push(`      Accepts ${spec.parser.form}. Default: ${fallback}`);
  }
  return lines.join('\n') + '\n';
}
