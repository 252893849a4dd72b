/**
 * The shape a newcomer can read: no source file in src/ over 450 lines and no function over 80
 * lines of its own (the lines of the functions it declares inside are theirs, not its), tests
 * aside. Measured with the TypeScript compiler, so a long template or comment counts as what it is.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/paths.js";

export const MAX_FILE_LINES = 450;
export const MAX_FUNCTION_LINES = 80;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

type FunctionNode = ts.SignatureDeclaration & { body?: ts.Node };

function isFunction(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function nameOf(node: FunctionNode): string {
  if (node.name) return node.name.getText();
  if (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent)) {
    return node.parent.name.getText();
  }
  return "(anonymous)";
}

/** Functions longer than the limit, each as "file:line name (lines)". */
export function longFunctions(file: string, text: string, limit = MAX_FUNCTION_LINES): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const line = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const span = (node: ts.Node) => line(node.getEnd()) - line(node.getStart()) + 1;
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (isFunction(node)) {
      let nested = 0;
      const subtract = (child: ts.Node) => {
        if (isFunction(child)) nested += span(child);
        else ts.forEachChild(child, subtract);
      };
      ts.forEachChild(node, subtract);
      const own = span(node) - nested;
      if (own > limit) {
        found.push(`${file}:${line(node.getStart()) + 1} ${nameOf(node)} (${own} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the shape of the source", () => {
  const files = sourceFiles(path.join(packageRoot, "src")).map((file) => ({
    name: path.relative(packageRoot, file),
    text: fs.readFileSync(file, "utf8"),
  }));

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map(({ name, text }) => ({ name, lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0) }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ name, lines }) => `${name} (${lines} lines)`);
    expect(long).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines of its own`, () => {
    expect(files.flatMap(({ name, text }) => longFunctions(name, text))).toEqual([]);
  });

  it("measures a function without the functions it declares", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join("\n");
    const outer = `function outer() {\n${body(50)}\n  function inner() {\n${body(60)}\n  }\n}\n`;
    expect(longFunctions("a.ts", outer)).toEqual([]);
    const long = `const f = () => {\n${body(80)}\n};\n`;
    expect(longFunctions("b.ts", long)).toEqual(["b.ts:1 f (82 lines)"]);
  });
});
