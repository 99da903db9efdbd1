/** Hono environment of the HTTP app: values that middleware passes to later middleware. */
export interface AppEnv {
  Variables: {
    /** Metrics label for responses not answered by an API route (for example `static`). */
    routeLabel?: string;
  };
}
