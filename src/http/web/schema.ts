import { Type } from "typebox";

/** The path below the app's root: a file of the build, or a page the app's router draws. */
export const AppPathParams = Type.Object({ "*": Type.String() });
