/** Version of the service, reported by `/api/stats` and `--version`. Keep equal to package.json. */
export const SERVICE_VERSION = '0.1.0';
