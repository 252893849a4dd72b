/**
 * Unknown fields in Kubernetes objects. kubernetes-models validates types, formats and
 * required fields, but its schemas allow any extra property, so a misspelt `livenessProbes`
 * would pass and be dropped by the API server. The type declarations of the same package
 * list every field: the TypeScript checker walks an object along them.
 */
import path from "node:path";
import ts from "typescript";
import { repoRoot } from "./support.js";

export interface KindModule {
  /** The module of kubernetes-models declaring the kind, e.g. "kubernetes-models/apps/v1/Deployment". */
  module: string;
  kind: string;
}

export function createFieldChecker(kinds: KindModule[]) {
  const file = path.join(repoRoot, "test", "deploy", "__kubernetes_kinds__.ts");
  const source =
    kinds.map((k, i) => `import type { I${k.kind} as K${i} } from "${k.module}";`).join("\n") +
    "\n" +
    kinds.map((_, i) => `export type T${i} = K${i};`).join("\n") +
    "\n";
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const unresolved = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file);
  if (unresolved.length > 0) {
    throw new Error(unresolved.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"));
  }
  const checker = program.getTypeChecker();
  const aliases = program.getSourceFile(file)!.statements.filter(ts.isTypeAliasDeclaration);
  const types = new Map(kinds.map((k, i) => [`${k.module}`, checker.getTypeAtLocation(aliases[i]!.name)]));

  function walk(value: unknown, type: ts.Type, at: string, problems: string[]): void {
    const target = checker.getNonNullableType(type);
    if (Array.isArray(value)) {
      const element = checker.getIndexTypeOfType(target, ts.IndexKind.Number);
      if (!element) problems.push(`${at}: a list where none belongs`);
      else value.forEach((item, i) => walk(item, element, `${at}[${i}]`, problems));
      return;
    }
    if (!value || typeof value !== "object") return;
    const objectTypes = target.isUnion()
      ? target.types.filter((t) => t.flags & ts.TypeFlags.Object)
      : [target];
    const objectType = objectTypes[0];
    if (!objectType) {
      problems.push(`${at}: an object where a value belongs`);
      return;
    }
    const index = checker.getIndexInfoOfType(objectType, ts.IndexKind.String);
    for (const [key, item] of Object.entries(value)) {
      const property = objectType.getProperty(key);
      if (property) walk(item, checker.getTypeOfSymbol(property), `${at}.${key}`, problems);
      else if (index) walk(item, index.type, `${at}.${key}`, problems);
      else problems.push(`${at}.${key}: no such field`);
    }
  }

  /** The paths of fields the kind does not have. */
  return (module: string, object: unknown, name: string): string[] => {
    const type = types.get(module);
    if (!type) throw new Error(`no type for ${module}`);
    const problems: string[] = [];
    walk(object, type, name, problems);
    return problems;
  };
}
