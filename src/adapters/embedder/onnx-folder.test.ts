import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeTestModel } from "../../../bench/tiny-onnx-model.js";
import { knownModel } from "../../core/embedding-models.js";
import { readModelFolder } from "./onnx-folder.js";

describe("readModelFolder", () => {
  const folders: string[] = [];
  const folder = () => {
    const made = fs.mkdtempSync(path.join(os.tmpdir(), "verso-model-folder-"));
    folders.push(made);
    writeTestModel(made);
    return made;
  };
  const json = (dir: string, file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(value));
  };
  afterEach(() => {
    for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads a sentence-transformers export: pooling, prefixes, maximum length and graph", async () => {
    const dir = folder();
    json(dir, "1_Pooling/config.json", { word_embedding_dimension: 8, pooling_mode_cls_token: true });
    json(dir, "config_sentence_transformers.json", { prompts: { query: "query: ", passage: "passage: " } });
    json(dir, "sentence_bert_config.json", { max_seq_length: 32 });
    expect(await readModelFolder(dir)).toEqual({
      name: expect.stringMatching(/^verso-model-folder-\w+-[0-9a-f]{12}$/),
      dimension: 8,
      pooling: "cls",
      queryPrefix: "query: ",
      passagePrefix: "passage: ",
      maxTokens: 32,
      onnxFile: "onnx/model.onnx",
    });
  });

  it("names a model by path after its folder and its graph: other files, another name", async () => {
    const dir = folder();
    const before = (await readModelFolder(dir)).name;
    expect((await readModelFolder(dir)).name).toBe(before);
    fs.appendFileSync(path.join(dir, "onnx/model.onnx"), Buffer.from([0]));
    expect((await readModelFolder(dir)).name).not.toBe(before);
  });

  it("reads a pulled folder as the known model it holds", async () => {
    const dir = folder();
    json(dir, "verso-model.json", { name: "multilingual-e5-small", revision: "main" });
    expect(await readModelFolder(dir)).toEqual(knownModel("multilingual-e5-small"));
  });

  it("refuses a folder that is not a sentence model's, saying what is missing", async () => {
    const dir = folder();
    fs.rmSync(path.join(dir, "tokenizer.json"));
    await expect(readModelFolder(dir)).rejects.toThrow(/holds no tokenizer\.json/);
    await expect(readModelFolder(path.join(dir, "nowhere"))).rejects.toThrow(/holds no tokenizer\.json/);
    const noSize = folder();
    json(noSize, "config.json", {});
    json(noSize, "1_Pooling/config.json", {});
    await expect(readModelFolder(noSize)).rejects.toThrow(/does not say the model's dimension/);
    const broken = folder();
    fs.writeFileSync(path.join(broken, "config.json"), "{ not json");
    await expect(readModelFolder(broken)).rejects.toThrow(/config\.json cannot be read/);
  });
});
