/** The API's shapes, as the server defines them (one source, shared with the server). */
export type * from "../../../src/http/api-types.js";
