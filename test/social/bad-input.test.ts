/**
 * Bad input on every route answers 4xx with a stable code, never a 500: missing fields, wrong
 * types, values too long, unknown cursors, ids and names that do not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cursorCodec } from "../../src/core/social/cursor.js";
import { buildTestApp, PASSWORD, type TestApp } from "../support/test-app.js";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface BadRequest {
  name: string;
  method: Method;
  url: string;
  body?: unknown;
  /** Raw payload with its content type, for bodies JSON cannot express. */
  raw?: { payload: string; contentType: string; contentLength?: string };
  signedIn?: boolean;
  status: number;
  code: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const feedCursor = cursorCodec("feed", ["integer"]).encode([10]);

/** Cursors no list ever gave out, and cursors of a different list. */
const foreignCursors = (list: string, realCursorOfAnotherList: string) => [
  ["punctuation", "!!!"],
  ["base64 of nothing JSON", "abcd"],
  ["JSON of the wrong shape", b64({ id: 3 })],
  ["the wrong list's tag", b64(["elsewhere", 3])],
  ["a string where a number goes", b64([list, "3"])],
  ["a fraction where an integer goes", b64([list, 1.5])],
  ["too many parts", b64([list, 1, 2, 3])],
  ["another list's cursor", realCursorOfAnotherList],
];

const cursorCases = (
  name: string,
  url: string,
  list: string,
  other: string,
  signedIn = false,
): BadRequest[] =>
  foreignCursors(list, other).map(([what, cursor]) => ({
    name: `${name}: cursor with ${what}`,
    method: "GET" as const,
    url: `${url}${url.includes("?") ? "&" : "?"}cursor=${cursor}`,
    signedIn,
    status: 400,
    code: "INVALID_CURSOR",
  }));

const table: BadRequest[] = [
  // auth
  {
    name: "register without username",
    method: "POST",
    url: "/api/auth/register",
    body: { password: PASSWORD },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "register without password",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "newbie" },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "register without body",
    method: "POST",
    url: "/api/auth/register",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "register with an object for username",
    method: "POST",
    url: "/api/auth/register",
    body: { username: {}, password: PASSWORD },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "register with an array for password",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "newbie", password: [] },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "register with an unknown field",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "newbie", password: PASSWORD, admin: true },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "register with a 2-character username",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "ab", password: PASSWORD },
    status: 400,
    code: "USERNAME_INVALID",
  },
  {
    name: "register with a 33-character username",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "a".repeat(33), password: PASSWORD },
    status: 400,
    code: "USERNAME_INVALID",
  },
  {
    name: "register with a far too long username",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "a".repeat(500), password: PASSWORD },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "register with a space in the username",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "new bie", password: PASSWORD },
    status: 400,
    code: "USERNAME_INVALID",
  },
  {
    name: "register with a non-ASCII username",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "zoë", password: PASSWORD },
    status: 400,
    code: "USERNAME_INVALID",
  },
  {
    name: "register with a 7-character password",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "newbie", password: "abcdefg" },
    status: 400,
    code: "PASSWORD_TOO_SHORT",
  },
  {
    name: "register with the username as password",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "newbie99", password: "NEWBIE99" },
    status: 400,
    code: "PASSWORD_MATCHES_USERNAME",
  },
  ...(
    [
      ["eight a's", "aaaaaaaa", "PASSWORD_TOO_COMMON"],
      ["eight spaces", "        ", "PASSWORD_TOO_COMMON"],
      ["eight NULs", "\u0000".repeat(8), "PASSWORD_INVALID"],
      ["the username and a digit", "newbie991", "PASSWORD_MATCHES_USERNAME"],
      ["the username and a year", "Newbie99-2024", "PASSWORD_MATCHES_USERNAME"],
    ] as const
  ).map(([what, password, code]): BadRequest => ({
    name: `register with ${what} as password`,
    method: "POST",
    url: "/api/auth/register",
    body: { username: "newbie99", password },
    status: 400,
    code,
  })),
  {
    name: "change my password to eight a's",
    method: "PUT",
    url: "/api/me/password",
    body: { currentPassword: PASSWORD, newPassword: "aaaaaaaa" },
    signedIn: true,
    status: 400,
    code: "PASSWORD_TOO_COMMON",
  },
  {
    name: "change my password to my name and a digit",
    method: "PUT",
    url: "/api/me/password",
    body: { currentPassword: PASSWORD, newPassword: "alice1234" },
    signedIn: true,
    status: 400,
    code: "PASSWORD_MATCHES_USERNAME",
  },
  {
    name: "register with a 5,000-character password",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "newbie", password: "x".repeat(5000) },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "register with malformed JSON",
    method: "POST",
    url: "/api/auth/register",
    raw: { payload: '{"username": "newbie",', contentType: "application/json" },
    status: 400,
    code: "INVALID_JSON",
  },
  {
    name: "register with a form body",
    method: "POST",
    url: "/api/auth/register",
    raw: { payload: "username=newbie", contentType: "application/x-www-form-urlencoded" },
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
  },
  {
    name: "register with a body longer than its Content-Length says",
    method: "POST",
    url: "/api/auth/register",
    raw: { payload: '{"username": "newbie"}', contentType: "application/json", contentLength: "2" },
    status: 400,
    code: "INVALID_JSON",
  },
  {
    name: "publish with a body shorter than its Content-Length says",
    method: "POST",
    url: "/api/prompts",
    raw: { payload: '{"text": "rain"}', contentType: "application/json", contentLength: "100" },
    signedIn: true,
    status: 400,
    code: "INVALID_JSON",
  },
  {
    name: "register with a huge body",
    method: "POST",
    url: "/api/auth/register",
    body: { username: "newbie", password: "x".repeat(100_000) },
    status: 413,
    code: "BODY_TOO_LARGE",
  },
  {
    name: "login without password",
    method: "POST",
    url: "/api/auth/login",
    body: { username: "alice" },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "login with a number array for username",
    method: "POST",
    url: "/api/auth/login",
    body: { username: [1, 2], password: PASSWORD },
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "logout with a body",
    method: "POST",
    url: "/api/auth/logout",
    body: { everywhere: true },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  // me
  {
    name: "profile edit with an object bio",
    method: "PATCH",
    url: "/api/me",
    body: { bio: { text: "hi" } },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "profile edit with a 51-character display name",
    method: "PATCH",
    url: "/api/me",
    body: { displayName: "d".repeat(51) },
    signedIn: true,
    status: 400,
    code: "DISPLAY_NAME_INVALID",
  },
  {
    name: "profile edit with a far too long bio",
    method: "PATCH",
    url: "/api/me",
    body: { bio: "b".repeat(5000) },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "profile edit with an unknown field",
    method: "PATCH",
    url: "/api/me",
    body: { email: "a@b.c" },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "rename to an invalid username",
    method: "PATCH",
    url: "/api/me",
    body: { username: "no way!", currentPassword: PASSWORD },
    signedIn: true,
    status: 400,
    code: "USERNAME_INVALID",
  },
  {
    name: "password change without the new password",
    method: "PUT",
    url: "/api/me/password",
    body: { currentPassword: PASSWORD },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "password change to a short one",
    method: "PUT",
    url: "/api/me/password",
    body: { currentPassword: PASSWORD, newPassword: "short" },
    signedIn: true,
    status: 400,
    code: "PASSWORD_TOO_SHORT",
  },
  {
    name: "password change to a far too long one",
    method: "PUT",
    url: "/api/me/password",
    body: { currentPassword: PASSWORD, newPassword: "p".repeat(1001) },
    signedIn: true,
    status: 400,
    code: "PASSWORD_TOO_LONG",
  },
  {
    name: "account deletion without a body",
    method: "DELETE",
    url: "/api/me",
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "account deletion with a number array password",
    method: "DELETE",
    url: "/api/me",
    body: { password: [[1]] },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  // prompts
  {
    name: "publish without text",
    method: "POST",
    url: "/api/prompts",
    body: {},
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "publish empty text",
    method: "POST",
    url: "/api/prompts",
    body: { text: "" },
    signedIn: true,
    status: 400,
    code: "PROMPT_EMPTY",
  },
  {
    name: "publish only spaces",
    method: "POST",
    url: "/api/prompts",
    body: { text: "   \n " },
    signedIn: true,
    status: 400,
    code: "PROMPT_EMPTY",
  },
  {
    name: "publish 501 characters",
    method: "POST",
    url: "/api/prompts",
    body: { text: "é".repeat(501) },
    signedIn: true,
    status: 400,
    code: "PROMPT_TOO_LONG",
  },
  {
    name: "publish 5,000 characters",
    method: "POST",
    url: "/api/prompts",
    body: { text: "x".repeat(5000) },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "publish an object",
    method: "POST",
    url: "/api/prompts",
    body: { text: { words: "rain" } },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "publish with an author",
    method: "POST",
    url: "/api/prompts",
    body: { text: "rain", author: "bob" },
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "list with limit 0",
    method: "GET",
    url: "/api/prompts?limit=0",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "list with limit 51",
    method: "GET",
    url: "/api/prompts?limit=51",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  // Ajv coerces "Infinity" to a number its bounds do not check; it reached SQL as a page size.
  {
    name: "list with limit Infinity",
    method: "GET",
    url: "/api/prompts?limit=Infinity",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "list with limit 1e400",
    method: "GET",
    url: "/api/prompts?limit=1e400",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "list with limit -Infinity",
    method: "GET",
    url: "/api/prompts?limit=-Infinity",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "list with a word for limit",
    method: "GET",
    url: "/api/prompts?limit=many",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "search with a 201-character query",
    method: "GET",
    url: `/api/prompts?q=${"q".repeat(201)}`,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "list with a 600-character cursor",
    method: "GET",
    url: `/api/prompts?cursor=${"a".repeat(600)}`,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  ...cursorCases("newest prompts", "/api/prompts", "prompts", feedCursor),
  ...cursorCases("prompt search", "/api/prompts?q=rain", "prompt-search", feedCursor),
  { name: "read prompt abc", method: "GET", url: "/api/prompts/abc", status: 400, code: "VALIDATION_FAILED" },
  { name: "read prompt 0", method: "GET", url: "/api/prompts/0", status: 400, code: "VALIDATION_FAILED" },
  { name: "read prompt -3", method: "GET", url: "/api/prompts/-3", status: 400, code: "VALIDATION_FAILED" },
  {
    name: "read prompt Infinity",
    method: "GET",
    url: "/api/prompts/Infinity",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  { name: "read prompt 1.5", method: "GET", url: "/api/prompts/1.5", status: 400, code: "VALIDATION_FAILED" },
  {
    name: "read prompt beyond safe integers",
    method: "GET",
    url: "/api/prompts/99999999999999999999",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "read prompt beyond what an id column holds",
    method: "GET",
    url: "/api/prompts/2147483648",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "read a prompt that does not exist",
    method: "GET",
    url: "/api/prompts/424242",
    status: 404,
    code: "PROMPT_NOT_FOUND",
  },
  {
    name: "edit a prompt that does not exist",
    method: "PATCH",
    url: "/api/prompts/424242",
    body: { text: "x" },
    signedIn: true,
    status: 404,
    code: "PROMPT_NOT_FOUND",
  },
  {
    name: "edit my prompt to nothing",
    method: "PATCH",
    url: "/api/prompts/{mine}",
    body: { text: " " },
    signedIn: true,
    status: 400,
    code: "PROMPT_EMPTY",
  },
  {
    name: "edit my prompt without text",
    method: "PATCH",
    url: "/api/prompts/{mine}",
    body: {},
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "delete a prompt that does not exist",
    method: "DELETE",
    url: "/api/prompts/424242",
    signedIn: true,
    status: 404,
    code: "PROMPT_NOT_FOUND",
  },
  {
    name: "like a prompt that does not exist",
    method: "PUT",
    url: "/api/prompts/424242/like",
    signedIn: true,
    status: 404,
    code: "PROMPT_NOT_FOUND",
  },
  {
    name: "unlike a prompt that does not exist",
    method: "DELETE",
    url: "/api/prompts/424242/like",
    signedIn: true,
    status: 404,
    code: "PROMPT_NOT_FOUND",
  },
  {
    name: "like prompt abc",
    method: "PUT",
    url: "/api/prompts/abc/like",
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  // users
  { name: "find people without q", method: "GET", url: "/api/users", status: 400, code: "VALIDATION_FAILED" },
  {
    name: "find people with an empty q",
    method: "GET",
    url: "/api/users?q=",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "find people with a 101-character q",
    method: "GET",
    url: `/api/users?q=${"a".repeat(101)}`,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  ...cursorCases("people search", "/api/users?q=a", "user-search", feedCursor),
  {
    name: "suggestions with n=0",
    method: "GET",
    url: "/api/users/random?n=0",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "suggestions with n=51",
    method: "GET",
    url: "/api/users/random?n=51",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "suggestions with n=Infinity",
    method: "GET",
    url: "/api/users/random?n=Infinity",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "suggestions with n=lots",
    method: "GET",
    url: "/api/users/random?n=lots",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  { name: "profile of nobody", method: "GET", url: "/api/users/nobody", status: 404, code: "USER_NOT_FOUND" },
  {
    name: "profile with a 100-character name",
    method: "GET",
    url: `/api/users/${"n".repeat(100)}`,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "prompts of nobody",
    method: "GET",
    url: "/api/users/nobody/prompts",
    status: 404,
    code: "USER_NOT_FOUND",
  },
  ...cursorCases("a user's prompts", "/api/users/alice/prompts", "user-prompts", feedCursor),
  {
    name: "follow nobody",
    method: "PUT",
    url: "/api/users/nobody/follow",
    signedIn: true,
    status: 404,
    code: "USER_NOT_FOUND",
  },
  {
    name: "unfollow nobody",
    method: "DELETE",
    url: "/api/users/nobody/follow",
    signedIn: true,
    status: 404,
    code: "USER_NOT_FOUND",
  },
  {
    name: "follow myself",
    method: "PUT",
    url: "/api/users/alice/follow",
    signedIn: true,
    status: 400,
    code: "CANNOT_FOLLOW_SELF",
  },
  {
    name: "following of nobody",
    method: "GET",
    url: "/api/users/nobody/following",
    status: 404,
    code: "USER_NOT_FOUND",
  },
  {
    name: "followers of nobody",
    method: "GET",
    url: "/api/users/nobody/followers",
    status: 404,
    code: "USER_NOT_FOUND",
  },
  ...cursorCases("following", "/api/users/alice/following", "following", feedCursor),
  ...cursorCases("followers", "/api/users/alice/followers", "followers", feedCursor),
  {
    name: "followers with limit 1000",
    method: "GET",
    url: "/api/users/alice/followers?limit=1000",
    status: 400,
    code: "VALIDATION_FAILED",
  },
  // feed
  ...cursorCases("feed", "/api/feed", "feed", cursorCodec("prompts", ["integer"]).encode([10]), true),
  {
    name: "feed with limit Infinity",
    method: "GET",
    url: "/api/feed?limit=Infinity",
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "feed with limit -1",
    method: "GET",
    url: "/api/feed?limit=-1",
    signedIn: true,
    status: 400,
    code: "VALIDATION_FAILED",
  },
  // no such route
  {
    name: "an unknown route",
    method: "GET",
    url: "/api/prompts/1/comments",
    status: 404,
    code: "ROUTE_NOT_FOUND",
  },
];

let t: TestApp;
let token: string;
let myPromptId: number;

beforeAll(async () => {
  t = await buildTestApp();
  ({ token } = await t.register("alice"));
  myPromptId = (await t.call("POST", "/api/prompts", { token, body: { text: "rain on the roof" } })).body.id;
});

afterAll(async () => {
  await t.close();
});

describe.each(table)("$name", (request) => {
  it(`answers ${request.status} ${request.code}`, async () => {
    const url = request.url.replace("{mine}", String(myPromptId));
    const reply = request.raw
      ? await t.app
          .inject({
            method: request.method,
            url,
            payload: request.raw.payload,
            headers: {
              "content-type": request.raw.contentType,
              ...(request.raw.contentLength ? { "content-length": request.raw.contentLength } : {}),
              ...(request.signedIn ? { authorization: `Bearer ${token}` } : {}),
            },
          })
          .then((r) => ({ status: r.statusCode, body: r.json() }))
      : await t.call(request.method, url, {
          ...(request.signedIn ? { token } : {}),
          ...(request.body !== undefined ? { body: request.body } : {}),
        });
    expect(reply.status).toBe(request.status);
    expect(reply.body.error.code).toBe(request.code);
    expect(reply.body.error.message).toEqual(expect.any(String));
  });
});

it("answered every bad request with a 4xx, never a 5xx", () => {
  const serverErrors = t.statuses.filter((status) => status >= 500);
  expect(serverErrors).toEqual([]);
  expect(t.statuses.length).toBeGreaterThanOrEqual(table.length);
});
