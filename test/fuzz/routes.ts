/**
 * The routes to fuzz: every route the app declares, each with what the OpenAPI document says of
 * its path parameters, query and body. A route the document does not describe is still fuzzed,
 * with parameters taken from its URL and no knowledge of its query or body.
 */

/** The part of JSON Schema the generators read. */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

export interface Parameter {
  name: string;
  schema: Schema;
}

export interface RouteSpec {
  /** As the app declares it: "GET /api/prompts/:id". */
  id: string;
  method: string;
  /** Fastify's form of the path, with :param and *. */
  url: string;
  pathParams: Parameter[];
  query: Parameter[];
  /** The JSON body's schema, or null when the route takes none. */
  body: Schema | null;
}

interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export type OpenApiPaths = Record<string, Record<string, Operation>>;

const openApiPath = (url: string): string => url.replace(/:(\w+)/g, "{$1}");

export function routeSpecs(declaredRoutes: readonly string[], paths: OpenApiPaths): RouteSpec[] {
  return [...new Set(declaredRoutes)].map((id) => {
    const [method = "", url = ""] = id.split(" ");
    // HEAD routes are Fastify's copies of GET routes; the document lists the GET only.
    const documented = method === "HEAD" ? "get" : method.toLowerCase();
    const operation = paths[openApiPath(url)]?.[documented];
    const parameters = operation?.parameters ?? [];
    const inPath = new Map(parameters.filter((p) => p.in === "path").map((p) => [p.name, p.schema ?? {}]));
    const pathParams = [...url.matchAll(/:(\w+)|\*/g)].map((match) => {
      const name = match[1] ?? "*";
      return { name, schema: inPath.get(name) ?? { type: "string" } };
    });
    return {
      id,
      method,
      url,
      pathParams,
      query: parameters
        .filter((p) => p.in === "query")
        .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
      body: operation?.requestBody?.content?.["application/json"]?.schema ?? null,
    };
  });
}

/** The URL with each parameter replaced by its (already encoded) text, in order. */
export function fillPath(url: string, segments: readonly string[]): string {
  let i = 0;
  return url.replace(/:(\w+)|\*/g, () => segments[i++] ?? "");
}
