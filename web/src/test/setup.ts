import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { setUpI18n } from "../i18n/i18n.js";

setUpI18n();
afterEach(() => cleanup());
