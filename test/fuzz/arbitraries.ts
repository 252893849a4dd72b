/**
 * Generators of hostile requests: values of the wrong type, numbers at and past every bound,
 * text that breaks naive handling of Unicode (lone surrogates, right-to-left overrides,
 * zero-width characters, NUL, emoji sequences), broken JSON, wrong content types, repeated and
 * missing headers, forged cursors and ids, and path parameters with odd text. Each request is a
 * plain value, so fast-check can print and shrink it; the tokens of the signed-in users are put
 * in only when it is sent, since sessions come and go between runs.
 */
import fc from "fast-check";
import { PASSWORD } from "../support/test-app.js";
import type { Parameter, RouteSpec, Schema } from "./routes.js";
import { fillPath } from "./routes.js";

export type Identity = "anonymous" | "user" | "admin";

export interface FuzzRequest {
  identity: Identity;
  method: string;
  url: string;
  /** Values may hold TOKEN, replaced by the identity's session token when sent. */
  headers: Record<string, string | string[]>;
  payload?: string | Buffer;
  /** The client's address: spread over many, so that the limits per address rarely all answer 429. */
  address: string;
}

export const TOKEN = "{token}";

/** Stands for the id of the Nth prompt that exists when the request is sent. */
export const promptRef = (n: number): string => `{prompt:${n}}`;

const address = fc.integer({ min: 1, max: 254 }).map((n) => `203.0.113.${n}`);

/** Users that exist in the fuzzed app, so that names and ids sometimes hit something real. */
export const KNOWN_NAMES = ["fuzzer", "root", "alice", "bob", "carol"];
export const OTHER_PASSWORD = "another fine passphrase";

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

const specialTexts = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\udbffy",
  "\udc00\ud800",
  "\u202eevil\u202c",
  "\u2067rtl\u2069",
  "שלום עולם",
  "مرحبا بالعالم",
  "\u200b",
  "a\u200db",
  "\u2060",
  "\ufeffrain",
  "\ufffe\uffff",
  "👩‍👩‍👧‍👦",
  "🎵🎶🏳️‍🌈",
  "e\u0301\u0301\u0301",
  "İstanbul",
  "\u212aelvin",
  "ß",
  "ﬃ",
  "１２３",
  "٣",
  "\r\n",
  "\t",
  "\u0085\u2028\u2029",
  "%",
  "%00",
  "%zz",
  "../..",
  "' OR 1=1 --",
  "\\",
  '"',
  "<script>alert(1)</script>",
  "${x}",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "0x10",
  " 1",
  "+1",
  "__proto__",
  "constructor",
  "toString",
  "*",
  "random",
  "rain on the roof",
  PASSWORD,
  OTHER_PASSWORD,
  ...KNOWN_NAMES,
  "ALICE",
  "Root",
];

const textUnit = fc.oneof(
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), weight: 4 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: loneSurrogate, weight: 1 },
  { arbitrary: fc.constantFrom("\u0000", "\u200b", "\u202e", "\ufeff", "\u0301", "🎵", "‍"), weight: 1 },
);

/** Text of every kind, short mostly, sometimes right at or past a length limit. */
export const text = (limits: Schema = {}): fc.Arbitrary<string> => {
  const bounds = [limits.minLength, limits.maxLength]
    .filter((n): n is number => n !== undefined)
    .flatMap((n) => [n - 1, n, n + 1])
    .filter((n) => n >= 0);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...specialTexts), weight: 4 },
    { arbitrary: fc.string({ unit: textUnit, maxLength: 40 }), weight: 4 },
    { arbitrary: fc.stringMatching(/^[a-z0-9_.-]{3,32}$/), weight: 2 },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom(...(bounds.length > 0 ? bounds : [0, 1])),
          fc.constantFrom("x", "é", "🎵", " "),
        )
        .map(([n, unit]) => unit.repeat(n)),
      weight: 1,
    },
  );
};

const edgeNumbers = [
  0,
  -0,
  1,
  -1,
  1.5,
  0.1,
  2,
  19,
  20,
  49,
  50,
  51,
  500,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e-300,
  1e21,
];

export const number = (limits: Schema = {}): fc.Arbitrary<number> => {
  const bounds = [limits.minimum, limits.maximum]
    .filter((n): n is number => n !== undefined)
    .flatMap((n) => [n - 1, n, n + 1]);
  return fc.oneof(
    fc.constantFrom(...edgeNumbers, ...bounds),
    fc.integer({ min: -5, max: 60 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
};

/** Numbers as a query string or path carries them, including forms JSON does not have. */
const numberText = (limits: Schema = {}): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: number(limits).map(String), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        "NaN",
        "Infinity",
        "-Infinity",
        "1e3",
        "1E400",
        "0x10",
        "0b11",
        "0o7",
        "010",
        "+1",
        " 1",
        "1 ",
        "1_000",
        "1,2",
        "٣",
        "１",
        "99999999999999999999",
        "9007199254740993",
        "-0",
        ".5",
        "5.",
        "true",
        "",
      ),
      weight: 1,
    },
  );

const jsonLeaf = fc.oneof(
  text(),
  number(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, [null], [[[]]], { "": "" }),
);

/** Any JSON value, with hostile leaves. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: jsonLeaf, weight: 3 },
  { arbitrary: fc.array(jsonLeaf, { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.dictionary(text(), jsonLeaf, { maxKeys: 4 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

/** A value of the schema's type (often at a bound), or of any other. */
export function value(schema: Schema): fc.Arbitrary<unknown> {
  const own = (): fc.Arbitrary<unknown> => {
    switch (schema.type) {
      case "string":
        return text(schema);
      case "integer":
      case "number":
        return number(schema);
      case "boolean":
        return fc.boolean();
      case "object":
        return objectText(schema).map((raw) => JSON.parse(raw) as unknown);
      default:
        return schema.anyOf?.length ? fc.oneof(...schema.anyOf.map(value)) : anyJson;
    }
  };
  return fc.oneof({ arbitrary: own(), weight: 4 }, { arbitrary: anyJson, weight: 1 });
}

const intruderKeys = ["__proto__", "constructor", "prototype", "userId", "id", "admin", "username", ""];

/**
 * An object as JSON text, written by hand so that it can hold what a JS object cannot: a
 * "__proto__" member, or the same member twice.
 */
export const objectText = (schema: Schema): fc.Arbitrary<string> => {
  const known = Object.entries(schema.properties ?? {});
  const members = fc.tuple(
    fc
      .subarray(known)
      .chain((chosen) =>
        chosen.length === 0
          ? fc.constant([] as Array<[string, unknown]>)
          : fc.tuple(
              ...chosen.map(([name, property]) => value(property).map((v) => [name, v] as [string, unknown])),
            ),
      ),
    fc.oneof(
      { arbitrary: fc.constant([] as Array<[string, unknown]>), weight: 4 },
      {
        arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...intruderKeys), text()), anyJson), {
          minLength: 1,
          maxLength: 2,
        }),
        weight: 1,
      },
    ),
    fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
  );
  return members.map(([chosen, extra, repeat]) => {
    const all = [...chosen, ...extra, ...(repeat ? chosen.slice(0, 1) : [])];
    return `{${all.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`;
  });
};

const brokenJson = (valid: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      "{",
      "}",
      "[",
      '{"text":}',
      '{"text":"x"',
      "{'text':'x'}",
      '{"text":"x"}}',
      "{}{}",
      "\ufeff{}",
      "NaN",
      "1e99999",
      "-",
      '"\\ud800"',
      '{"a":1,}',
      "[1,]",
      "nul",
      "\u0000",
      " ",
      "",
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
    ),
    valid.chain((raw) => fc.nat({ max: Math.max(0, raw.length - 1) }).map((n) => raw.slice(0, n))),
    fc.integer({ min: 500, max: 20_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
    fc.integer({ min: 500, max: 8_000 }).map((depth) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth)),
  );

/** A body as bytes on the wire. */
const payload = (schema: Schema | null): fc.Arbitrary<string | Buffer | undefined> => {
  const valid = schema ? objectText(schema) : fc.constantFrom("{}", "null");
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: valid, weight: 6 },
    { arbitrary: anyJson.map((v) => JSON.stringify(v) ?? "null"), weight: 2 },
    { arbitrary: brokenJson(valid), weight: 2 },
    {
      arbitrary: fc
        .uint8Array({ maxLength: 40 })
        .map((bytes) => Buffer.concat([Buffer.from('{"text":"'), Buffer.from(bytes), Buffer.from('"}')])),
      weight: 1,
    },
    { arbitrary: valid.map((raw) => Buffer.from(raw, "utf16le")), weight: 1 },
    {
      arbitrary: fc
        .constantFrom(60_000, 65_520, 65_536, 70_000)
        .map((n) => JSON.stringify({ text: "x".repeat(n) })),
      weight: 1,
    },
  );
};

const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

const contentTypes = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "application/json; charset=utf-16",
      "application/json; charset=latin1",
      "APPLICATION/JSON",
      "application/json;",
      "application/json; boundary=x; charset",
      "application/vnd.api+json",
      "application/json, text/plain",
      "text/json",
      "text/plain",
      "text/html",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/octet-stream",
      "*/*",
      "",
      ";",
      "/",
    ),
    weight: 3,
  },
  { arbitrary: headerText, weight: 1 },
);

/** A token of no session: nothing, garbage, or the right shape of one that was never issued. */
export const forgedToken = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
  headerText,
  fc.constantFrom("", "null", "undefined", "x".repeat(5000)),
);

const credentials = (identity: Identity): fc.Arbitrary<Record<string, string | string[]>> => {
  const token = identity === "anonymous" ? forgedToken : fc.constant(TOKEN);
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: identity === "anonymous" ? 3 : 0 },
    { arbitrary: token.map((t) => ({ authorization: `Bearer ${t}` })), weight: 6 },
    { arbitrary: token.map((t) => ({ cookie: `verso_session=${t}` })), weight: 2 },
    {
      arbitrary: fc
        .tuple(token, fc.constantFrom("bearer ", "BEARER\t", "Bearer   ", "Basic ", "Bearer", "Token "))
        .map(([t, scheme]) => ({ authorization: `${scheme}${t}` })),
      weight: 1,
    },
    {
      // The header wins over the cookie, even when the header is garbage.
      arbitrary: fc.tuple(token, headerText).map(([t, garbage]) => ({
        authorization: garbage,
        cookie: `verso_session=${t}`,
      })),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(token, forgedToken).map(([t, other]) => ({
        authorization: [`Bearer ${t}`, `Bearer ${other}`],
      })),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(token, headerText).map(([t, other]) => ({
        cookie: `verso_session=${other}; verso_session=${t}; ${other}`,
      })),
      weight: 1,
    },
  );
};

const otherHeaders: fc.Arbitrary<Record<string, string | string[]>> = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constant("accept"), fc.constantFrom("application/xml", "*/*", "text/html", "", ";q=x")),
      fc.tuple(fc.constant("accept-encoding"), fc.constantFrom("gzip", "br, zstd", "*", "identity;q=0")),
      fc.tuple(fc.constant("x-forwarded-for"), fc.constantFrom("1.2.3.4", "::1, 10.0.0.1", "garbage", "")),
      fc.tuple(fc.constant("x-forwarded-proto"), fc.constantFrom("https", "gopher", "")),
      fc.tuple(fc.constant("host"), fc.constantFrom("", "[::1", "a b", "example.com:99999", "ä.example")),
      fc.tuple(fc.constant("origin"), fc.constantFrom("null", "https://evil.example")),
      fc.tuple(fc.constant("if-none-match"), fc.constantFrom("*", '"x"', "W/")),
      fc.tuple(fc.constant("range"), fc.constantFrom("bytes=0-1", "bytes=-1", "bytes=x")),
      fc.tuple(fc.constant("expect"), fc.constantFrom("100-continue", "nonsense")),
      fc.tuple(fc.constant("transfer-encoding"), fc.constantFrom("chunked", "gzip, chunked", "identity")),
      fc.tuple(fc.constant("content-encoding"), fc.constantFrom("gzip", "br", "identity", "unknown")),
      fc.tuple(fc.constant("content-length"), fc.constantFrom("0", "1", "-1", "abc", "99999999999", "1, 2")),
      fc.tuple(fc.constantFrom("x-request-id", "user-agent", "referer"), headerText),
      fc.tuple(
        fc.constantFrom("accept", "content-type", "host", "user-agent"),
        fc.array(headerText, { minLength: 2, maxLength: 3 }),
      ),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => Object.fromEntries(pairs));

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value) ?? "null").toString("base64url");

const cursorLists = [
  "prompts",
  "user-prompts",
  "prompt-search",
  "user-search",
  "following",
  "followers",
  "feed",
];

/** Cursors no list gave out: the right tag with wrong or extreme keys, other tags, garbage. */
const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...cursorLists, "catalog-objects", ""),
      fc.array(fc.oneof(number(), text(), fc.constant(null)), { maxLength: 3 }),
    )
    .map(([list, key]) => b64([list, ...key])),
  anyJson.map(b64),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
  text({ maxLength: 512 }),
  fc.constantFrom("a".repeat(512), "a".repeat(513), "=", "+/", "%00"),
);

/** Text as a URL carries it; what is not well-formed UTF-16 goes as U+FFFD, as a browser sends it. */
export const encodeText = (raw: string): string =>
  encodeURIComponent(
    raw.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  );

const rawSegments = [
  ".",
  "..",
  "%",
  "%zz",
  "%ED%A0%80",
  "%C0%AF",
  "%2e%2e",
  ";",
  "a;b=c",
  "~",
  "!",
  "%2F",
  "%3F",
];

const segment = (parameter: Parameter): fc.Arbitrary<string> => {
  const { type } = parameter.schema;
  const typed =
    type === "integer" || type === "number"
      ? fc.oneof(
          fc.nat(50).map(promptRef),
          fc.integer({ min: 1, max: 40 }).map(String),
          numberText(parameter.schema).map(encodeText),
        )
      : fc.oneof(fc.constantFrom(...KNOWN_NAMES), text(parameter.schema).map(encodeText));
  return fc.oneof(
    { arbitrary: typed, weight: 8 },
    { arbitrary: fc.constantFrom(...rawSegments), weight: 1 },
    { arbitrary: fc.integer({ min: 95, max: 130 }).map((n) => "a".repeat(n)), weight: 1 },
  );
};

const queryValue = (parameter: Parameter): fc.Arbitrary<string> => {
  const { type } = parameter.schema;
  if (parameter.name === "cursor") return forgedCursor.map(encodeText);
  return type === "integer" || type === "number"
    ? numberText(parameter.schema).map(encodeText)
    : text(parameter.schema).map(encodeText);
};

const queryString = (query: Parameter[]): fc.Arbitrary<string> => {
  const known = query.map((p) => queryValue(p).map((v) => `${p.name}=${v}`));
  const pair = fc.oneof(
    { arbitrary: known.length > 0 ? fc.oneof(...known) : fc.constant("x=1"), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        ...query.flatMap((p) => [p.name, `${p.name}=`, `${p.name}[]=1`, `${p.name}[a]=1`, `${p.name}.x=1`]),
        "__proto__=x",
        "__proto__[admin]=true",
        "constructor[prototype][admin]=true",
        "=",
        "&",
        "==",
        "%",
        "a=%zz",
      ),
      weight: 1,
    },
    { arbitrary: fc.tuple(text(), text()).map(([k, v]) => `${encodeText(k)}=${encodeText(v)}`), weight: 1 },
  );
  return fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length > 0 ? `?${pairs.join("&")}` : ""));
};

const identity = fc.constantFrom<Identity>("anonymous", "user", "admin");

const otherMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** One request to this route, from anyone, mostly well aimed and always somewhat hostile. */
export function request(route: RouteSpec): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      identity,
      method: fc.oneof(
        { arbitrary: fc.constant(route.method), weight: 12 },
        { arbitrary: fc.constantFrom(...otherMethods), weight: 1 },
      ),
      segments: fc.tuple(...route.pathParams.map(segment)),
      query: queryString(route.query),
      payload: payload(route.body),
      contentType: fc.option(contentTypes, { freq: 6 }),
      extra: otherHeaders,
      address,
    })
    .chain((r) =>
      credentials(r.identity).map((auth): FuzzRequest => {
        const headers: Record<string, string | string[]> = { ...r.extra, ...auth };
        if (r.payload !== undefined && r.contentType !== null) headers["content-type"] = r.contentType;
        return {
          identity: r.identity,
          method: r.method,
          url: fillPath(route.url, r.segments) + r.query,
          headers,
          address: r.address,
          ...(r.payload !== undefined ? { payload: r.payload } : {}),
        };
      }),
    );
}

const plausibleText = fc.oneof(
  fc.constantFrom(PASSWORD, OTHER_PASSWORD, ...KNOWN_NAMES, "rain on the roof", "songs about leaving"),
  fc.stringMatching(/^[a-z0-9_.-]{3,12}$/),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
);

const plausibleValue = (schema: Schema): fc.Arbitrary<unknown> => {
  switch (schema.type) {
    case "string":
      return plausibleText;
    case "integer":
    case "number":
      return fc.integer({ min: Math.max(schema.minimum ?? 1, 1), max: Math.min(schema.maximum ?? 20, 20) });
    case "boolean":
      return fc.boolean();
    case "object":
      return plausibleObject(schema);
    default:
      return fc.constant(null);
  }
};

const plausibleObject = (schema: Schema): fc.Arbitrary<Record<string, unknown>> => {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  return fc
    .subarray(properties.filter(([name]) => !required.has(name)))
    .chain((optional) =>
      fc.tuple(
        ...[...properties.filter(([name]) => required.has(name)), ...optional].map(([name, property]) =>
          plausibleValue(property).map((v) => [name, v] as const),
        ),
      ),
    )
    .map((entries) => Object.fromEntries(entries));
};

/**
 * A request as a client that means well sends it, so that sequences of them reach the domain
 * and change state (publish, like, follow, rename, delete the account) between hostile ones.
 */
export function plausibleRequest(route: RouteSpec): fc.Arbitrary<FuzzRequest> {
  const segments = fc.tuple(
    ...route.pathParams.map((p) =>
      p.schema.type === "integer" ? fc.nat(50).map(promptRef) : fc.constantFrom(...KNOWN_NAMES),
    ),
  );
  const query = fc
    .subarray(route.query)
    .chain((chosen) =>
      fc.tuple(
        ...chosen
          .filter((p) => p.name !== "cursor")
          .map((p) => plausibleValue(p.schema).map((v) => [p.name, v])),
      ),
    )
    .map((pairs) =>
      pairs.length > 0 ? `?${pairs.map(([k, v]) => `${k}=${encodeText(String(v))}`).join("&")}` : "",
    );
  const body =
    route.body?.type === "object"
      ? plausibleObject(route.body).map((v) => JSON.stringify(v))
      : fc.constant(undefined);
  return fc
    .record({
      identity: fc.constantFrom<Identity>("user", "user", "admin", "anonymous"),
      segments,
      query,
      body,
      address,
    })
    .map((r) => ({
      identity: r.identity,
      address: r.address,
      method: route.method,
      url: fillPath(route.url, r.segments) + r.query,
      headers: {
        ...(r.identity === "anonymous" ? {} : { authorization: `Bearer ${TOKEN}` }),
        ...(r.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(r.body !== undefined ? { payload: r.body } : {}),
    }));
}
