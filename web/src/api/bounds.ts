import type { Bounds } from "./types.js";

/** What the server accepts, checked here first to say so at once; typed to equal the server's. */
export const bounds: Bounds = {
  promptLength: 500,
  defaultK: 10,
  maxK: 50,
  usernameMinLength: 3,
  usernameMaxLength: 32,
  passwordMinLength: 8,
  passwordMaxLength: 1000,
};
