/**
 * How requests are validated against their schemas. Validation reports every problem of a
 * request at once. Query strings, path parameters and headers are text, so "?k=5" is read as a
 * number; a JSON body is typed already, so {"k": "5"} or {"prompt": 42} is refused rather than
 * coerced.
 */
import { AjvCompiler } from "@fastify/ajv-compiler";
import type { FastifyServerOptions } from "fastify";

type ValidatorOptions = Parameters<ReturnType<typeof AjvCompiler>>[1];

export const ajvOptions = {
  customOptions: { allErrors: true, useDefaults: true, removeAdditional: false },
} satisfies FastifyServerOptions["ajv"];

export const schemaController: FastifyServerOptions["schemaController"] = {
  compilersFactory: {
    buildValidator(externalSchemas, serverOptions) {
      const customOptions = { ...(serverOptions?.customOptions as Record<string, unknown> | undefined) };
      const build = (coerceTypes: "array" | false) =>
        AjvCompiler()(externalSchemas, {
          ...serverOptions,
          customOptions: { ...customOptions, coerceTypes },
        } as ValidatorOptions);
      const coercing = build("array");
      const strict = build(false);
      return (route) => (route.httpPart === "body" ? strict(route) : coercing(route));
    },
  },
};
