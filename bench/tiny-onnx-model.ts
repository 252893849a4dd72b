/**
 * A small sentence model of Verso's own, for the tests and the bench, since no real one can be
 * downloaded where Verso is developed: a WordPiece tokenizer.json over a few dozen words, and an
 * ONNX graph that looks each token up in an embedding table and zeroes the padding (what a real export's last_hidden_state is to its
 * pooling). Words of one topic share a direction, in English and in Spanish alike, so the model
 * is "multilingual" and ranks songs by topic. The graph's protobuf is encoded here by hand: it
 * takes five message types.
 */
import fs from "node:fs";
import path from "node:path";

/** Words of each topic, English and Spanish; a topic is one axis of the vectors. */
export const testTopics = [
  ["sea", "ocean", "waves", "tide", "ship", "sail", "mar", "olas", "barco"],
  ["fire", "flame", "flames", "burn", "burning", "smoke", "fuego", "llamas", "humo"],
  ["love", "heart", "kiss", "lover", "broken", "crying", "goodbye", "amor", "corazon", "beso"],
  ["road", "highway", "drive", "miles", "camino", "carretera"],
  ["night", "moon", "stars", "dark", "noche", "luna", "estrellas"],
  ["rain", "storm", "clouds", "lluvia", "tormenta", "nubes"],
] as const;

const fillerWords = [
  "the",
  "a",
  "of",
  "in",
  "and",
  "i",
  "my",
  "is",
  "at",
  "all",
  "on",
  "to",
  "el",
  "la",
  "de",
  "y",
  "en",
];
const specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];
/** Topics, then one axis for filler words and one for special tokens. */
export const testModelDimension = testTopics.length + 2;

export const testVocabulary: string[] = [...specialTokens, ...testTopics.flat(), ...fillerWords];

function tokenVector(token: string): number[] {
  const vector = new Array<number>(testModelDimension).fill(0);
  const topic = testTopics.findIndex((words) => (words as readonly string[]).includes(token));
  if (topic >= 0) {
    vector[topic] = 1;
    // Words of a topic are near, not equal.
    vector[testModelDimension - 2] = 0.02 * testVocabulary.indexOf(token);
  } else if (specialTokens.includes(token)) vector[testModelDimension - 1] = 0.2;
  else vector[testModelDimension - 2] = 0.1;
  return vector;
}

/**
 * Writes the model as a sentence-transformers export: the graph (onnx/model.onnx), tokenizer.json,
 * tokenizer_config.json, config.json and 1_Pooling/config.json (mean pooling).
 */
export function writeTestModel(folder: string, graphFile = "onnx/model.onnx"): void {
  fs.mkdirSync(path.dirname(path.join(folder, graphFile)), { recursive: true });
  fs.mkdirSync(path.join(folder, "1_Pooling"), { recursive: true });
  fs.writeFileSync(path.join(folder, graphFile), testModelGraph());
  const json = (file: string, value: unknown) =>
    fs.writeFileSync(path.join(folder, file), JSON.stringify(value, null, 1));
  json("tokenizer.json", testTokenizer());
  json("tokenizer_config.json", { do_lower_case: true, model_max_length: 64, pad_token: "[PAD]" });
  json("config.json", { model_type: "bert", hidden_size: testModelDimension, max_position_embeddings: 64 });
  json("1_Pooling/config.json", {
    word_embedding_dimension: testModelDimension,
    pooling_mode_mean_tokens: true,
  });
}

function testTokenizer() {
  const special = (token: string) => ({ id: token, type_id: 0 });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: special("[CLS]") },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: special("[SEP]") },
      ],
      pair: [
        { SpecialToken: special("[CLS]") },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: special("[SEP]") },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ["[CLS]", "[SEP]"].map((token) => [
          token,
          { id: token, ids: [specialTokens.indexOf(token)], tokens: [token] },
        ]),
      ),
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(testVocabulary.map((token, id) => [token, id])),
    },
  };
}

// ── protobuf, by hand: varints and length-delimited fields are all ONNX's messages need here ──

type Bytes = Uint8Array;

function varint(value: bigint): Bytes {
  let rest = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return Uint8Array.from(out);
}

const concat = (...parts: Bytes[]): Bytes => Buffer.concat(parts);
const intField = (field: number, value: number | bigint): Bytes =>
  concat(varint(BigInt(field << 3)), varint(BigInt(value)));
const bytesField = (field: number, value: Bytes | string): Bytes => {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return concat(varint(BigInt((field << 3) | 2)), varint(BigInt(bytes.length)), bytes);
};

const FLOAT = 1;
const INT64 = 7;

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9. */
function tensor(name: string, type: number, dims: number[], raw: Bytes): Bytes {
  return concat(
    ...dims.map((d) => intField(1, d)),
    intField(2, type),
    bytesField(8, name),
    bytesField(9, raw),
  );
}

/** ValueInfoProto with a tensor type whose dimensions are named (dynamic) or fixed. */
function valueInfo(name: string, type: number, dims: (string | number)[]): Bytes {
  const dim = (d: string | number) =>
    bytesField(1, typeof d === "string" ? bytesField(2, d) : intField(1, d));
  const shape = concat(...dims.map(dim));
  const tensorType = concat(intField(1, type), bytesField(2, shape));
  return concat(bytesField(1, name), bytesField(2, bytesField(1, tensorType)));
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5 (AttributeProto: name 1, i 3, type 20). */
function node(
  op: string,
  inputs: string[],
  outputs: string[],
  intAttributes: Record<string, number> = {},
): Bytes {
  const attributes = Object.entries(intAttributes).map(([name, value]) =>
    bytesField(5, concat(bytesField(1, name), intField(3, value), intField(20, 2))),
  );
  return concat(
    ...inputs.map((i) => bytesField(1, i)),
    ...outputs.map((o) => bytesField(2, o)),
    bytesField(3, `${op}_${outputs[0]}`),
    bytesField(4, op),
    ...attributes,
  );
}

/** last_hidden_state = table[input_ids] × attention_mask, opset 13. */
function testModelGraph(): Bytes {
  const table = new Float32Array(testVocabulary.flatMap(tokenVector));
  const axes = new BigInt64Array([-1n]);
  const graph = concat(
    bytesField(1, node("Gather", ["embeddings", "input_ids"], ["tokens"], { axis: 0 })),
    bytesField(1, node("Cast", ["attention_mask"], ["mask"], { to: FLOAT })),
    bytesField(1, node("Unsqueeze", ["mask", "last_axis"], ["mask3"])),
    bytesField(1, node("Mul", ["tokens", "mask3"], ["last_hidden_state"])),
    bytesField(2, "verso-test-model"),
    bytesField(
      5,
      tensor("embeddings", FLOAT, [testVocabulary.length, testModelDimension], new Uint8Array(table.buffer)),
    ),
    bytesField(5, tensor("last_axis", INT64, [1], new Uint8Array(axes.buffer))),
    bytesField(11, valueInfo("input_ids", INT64, ["batch", "tokens"])),
    bytesField(11, valueInfo("attention_mask", INT64, ["batch", "tokens"])),
    bytesField(12, valueInfo("last_hidden_state", FLOAT, ["batch", "tokens", testModelDimension])),
  );
  // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 (version = 2).
  return concat(
    intField(1, 7),
    bytesField(2, "verso tests"),
    bytesField(7, graph),
    bytesField(8, intField(2, 13)),
  );
}
