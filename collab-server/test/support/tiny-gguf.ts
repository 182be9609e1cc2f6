// Writes a tiny GGUF model (a few hundred KB) that llama.cpp loads and runs through its real
// path (RoPE, grouped-query attention, SwiGLU, RMSNorm, KV cache), yet answers every prompt
// with one scripted reply. Tests and the benchmark write it themselves: no downloaded weights.
//
// How the script works without training: dimension k of the residual stream is "state k".
// Every token outside the script has a large component on state 0; script token i on state
// i+1. The output row of the token that should follow state k is aligned with dimension k,
// so the next token depends only on the last one: any prompt ends in a state-0 token, which
// starts the script, and the last script token leads to EOS (or back to the start: `loop`).
// The blocks carry small seeded noise, scaled down where they write back, so they run real
// math without changing the argmax.
import { writeFile } from "node:fs/promises";

export const TINY_REPLY = "Hello from the tiny test model.";

/** The ChatML template, so node-llama-cpp resolves its ChatML wrapper from the file. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface TinyModelOptions {
  /** The scripted reply: words and single punctuation marks, no token repeated. */
  reply?: string;
  /** Never emit EOS: after the last token the reply starts again. */
  loop?: boolean;
  /** Write `tokenizer.chat_template` (ChatML); default true. */
  chatTemplate?: boolean;
  /** `llama.context_length`; default 4096 (a persona prompt is ~1000 tokens in this byte-level vocabulary). */
  contextLength?: number;
  /** Width of the residual stream; default 64. Larger makes a slower model for throughput tests. */
  embedding?: number;
  /** Transformer blocks; default 2. */
  blocks?: number;
  /** `general.name`. */
  name?: string;
  seed?: number;
}

// GGUF value types.
const UINT32 = 4;
const INT32 = 5;
const FLOAT32 = 6;
const BOOL = 7;
const STRING = 8;
const ARRAY = 9;

// llama.cpp token types.
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const BYTE = 6;

const ALIGNMENT = 32;
const EOS = 2;
const STATE_SCALE = 10;
const NOISE = 0.02;
const WRITE_BACK = 0.01;

type Value =
  | { type: typeof UINT32 | typeof INT32 | typeof FLOAT32; value: number }
  | { type: typeof BOOL; value: boolean }
  | { type: typeof STRING; value: string }
  | { type: typeof ARRAY; of: typeof INT32 | typeof FLOAT32 | typeof STRING; values: (number | string)[] };

interface Tensor {
  name: string;
  /** ggml order: ne0 (the contiguous dimension) first. */
  dims: number[];
  data: Float32Array;
}

/** Writes the model to `path` and returns its size in bytes. */
export async function writeTinyModel(path: string, options: TinyModelOptions = {}): Promise<number> {
  const bytes = buildTinyModel(options);
  await writeFile(path, bytes);
  return bytes.length;
}

export function buildTinyModel(options: TinyModelOptions = {}): Uint8Array {
  const vocab = vocabulary(options.reply ?? TINY_REPLY);
  const n = options.embedding ?? 64;
  if (vocab.script.length + 1 > n) throw new Error(`the reply needs ${vocab.script.length + 1} state dimensions; raise embedding`);
  const metadata: [string, Value][] = [
    ["general.architecture", { type: STRING, value: "llama" }],
    ["general.name", { type: STRING, value: options.name ?? (options.loop ? "tiny-loop" : "tiny-script") }],
    ["general.alignment", { type: UINT32, value: ALIGNMENT }],
    ["general.file_type", { type: UINT32, value: 0 }],
    ["llama.context_length", { type: UINT32, value: options.contextLength ?? 4096 }],
    ["llama.embedding_length", { type: UINT32, value: n }],
    ["llama.block_count", { type: UINT32, value: options.blocks ?? 2 }],
    ["llama.feed_forward_length", { type: UINT32, value: 2 * n }],
    ["llama.attention.head_count", { type: UINT32, value: 4 }],
    ["llama.attention.head_count_kv", { type: UINT32, value: 2 }],
    ["llama.rope.dimension_count", { type: UINT32, value: n / 4 }],
    ["llama.rope.freq_base", { type: FLOAT32, value: 10000 }],
    ["llama.attention.layer_norm_rms_epsilon", { type: FLOAT32, value: 1e-5 }],
    ["llama.vocab_size", { type: UINT32, value: vocab.tokens.length }],
    ["tokenizer.ggml.model", { type: STRING, value: "llama" }],
    ["tokenizer.ggml.tokens", { type: ARRAY, of: STRING, values: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: ARRAY, of: FLOAT32, values: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: ARRAY, of: INT32, values: vocab.types }],
    ["tokenizer.ggml.bos_token_id", { type: UINT32, value: 1 }],
    ["tokenizer.ggml.eos_token_id", { type: UINT32, value: EOS }],
    ["tokenizer.ggml.unknown_token_id", { type: UINT32, value: 0 }],
    ["tokenizer.ggml.add_bos_token", { type: BOOL, value: true }],
    ["tokenizer.ggml.add_eos_token", { type: BOOL, value: false }],
  ];
  if (options.chatTemplate ?? true) metadata.push(["tokenizer.chat_template", { type: STRING, value: CHATML_TEMPLATE }]);
  return encode(metadata, tensors(vocab, n, options));
}

interface Vocabulary {
  tokens: string[];
  scores: number[];
  types: number[];
  /** Token ids of the reply, in order. */
  script: number[];
}

function vocabulary(reply: string): Vocabulary {
  const tokens = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"];
  const types = [UNKNOWN, CONTROL, CONTROL, CONTROL, CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(BYTE);
  }
  // The SentencePiece space, then printable ASCII: prompts tokenize to these and to bytes.
  for (const c of ["\u2581", ...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i))]) {
    tokens.push(c);
    types.push(NORMAL);
  }
  const script: number[] = [];
  for (const piece of reply.match(/\s*[^\s.,!?;:]+|[.,!?;:]/g) ?? []) {
    const text = piece.trim().length === 1 && !/\w/.test(piece) ? piece.trim() : `\u2581${piece.trim()}`;
    let id = tokens.indexOf(text);
    if (id < 0) {
      id = tokens.push(text) - 1;
      types.push(NORMAL);
    }
    if (script.includes(id)) throw new Error(`the reply repeats the token ${JSON.stringify(text)}; the script needs each once`);
    script.push(id);
  }
  // Whole words score higher, so a prompt containing them tokenizes to them.
  const scores = tokens.map((t, i) => (types[i] === NORMAL ? (t.length > 1 ? 0 : -1000 - i) : 0));
  return { tokens, scores, types, script };
}

function tensors(vocab: Vocabulary, n: number, options: TinyModelOptions): Tensor[] {
  const random = gaussian(options.seed ?? 1);
  const V = vocab.tokens.length;
  const ff = 2 * n;
  const kv = (n / 4) * 2; // head dim × kv heads
  const noise = (count: number, scale = NOISE) => Float32Array.from({ length: count }, () => random() * scale);
  const ones = (count: number) => new Float32Array(count).fill(1);

  // State of each token: 0 unless it is script token i, then i + 1.
  const stateOf = new Map(vocab.script.map((id, i) => [id, i + 1]));
  const embedding = noise(n * V);
  for (let t = 0; t < V; t++) embedding[t * n + (stateOf.get(t) ?? 0)] = STATE_SCALE;

  // The token that follows each state: the script in order, then EOS or the start again.
  const output = noise(n * V);
  const last = vocab.script.length;
  for (let state = 0; state <= last; state++) {
    const next = state < last ? vocab.script[state]! : options.loop ? vocab.script[0]! : EOS;
    output[next * n + state] = STATE_SCALE;
  }

  const list: Tensor[] = [{ name: "token_embd.weight", dims: [n, V], data: embedding }];
  for (let b = 0; b < (options.blocks ?? 2); b++) {
    list.push(
      { name: `blk.${b}.attn_norm.weight`, dims: [n], data: ones(n) },
      { name: `blk.${b}.attn_q.weight`, dims: [n, n], data: noise(n * n) },
      { name: `blk.${b}.attn_k.weight`, dims: [n, kv], data: noise(n * kv) },
      { name: `blk.${b}.attn_v.weight`, dims: [n, kv], data: noise(n * kv) },
      { name: `blk.${b}.attn_output.weight`, dims: [n, n], data: noise(n * n, NOISE * WRITE_BACK) },
      { name: `blk.${b}.ffn_norm.weight`, dims: [n], data: ones(n) },
      { name: `blk.${b}.ffn_gate.weight`, dims: [n, ff], data: noise(n * ff) },
      { name: `blk.${b}.ffn_up.weight`, dims: [n, ff], data: noise(n * ff) },
      { name: `blk.${b}.ffn_down.weight`, dims: [ff, n], data: noise(ff * n, NOISE * WRITE_BACK) },
    );
  }
  list.push({ name: "output_norm.weight", dims: [n], data: ones(n) }, { name: "output.weight", dims: [n, V], data: output });
  return list;
}

/** Seeded standard normal numbers (mulberry32 + Box–Muller), so every build is byte-identical. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

// --- the file format (GGUF v3, little endian) ---------------------------------------------

class Writer {
  private chunks: Uint8Array[] = [];
  length = 0;
  private push(bytes: Uint8Array) {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  private scalar(size: number, write: (view: DataView) => void) {
    const bytes = new Uint8Array(size);
    write(new DataView(bytes.buffer));
    this.push(bytes);
  }
  u32 = (v: number) => this.scalar(4, (d) => d.setUint32(0, v, true));
  i32 = (v: number) => this.scalar(4, (d) => d.setInt32(0, v, true));
  u64 = (v: number) => this.scalar(8, (d) => d.setBigUint64(0, BigInt(v), true));
  f32 = (v: number) => this.scalar(4, (d) => d.setFloat32(0, v, true));
  bytes = (b: Uint8Array) => this.push(b);
  string = (s: string) => {
    const b = new TextEncoder().encode(s);
    this.u64(b.length);
    this.push(b);
  };
  pad = () => this.push(new Uint8Array((ALIGNMENT - (this.length % ALIGNMENT)) % ALIGNMENT));
  result(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function encode(metadata: [string, Value][], list: Tensor[]): Uint8Array {
  const w = new Writer();
  w.bytes(new TextEncoder().encode("GGUF"));
  w.u32(3);
  w.u64(list.length);
  w.u64(metadata.length);
  for (const [key, value] of metadata) {
    w.string(key);
    w.u32(value.type);
    writeValue(w, value);
  }
  let offset = 0;
  for (const t of list) {
    w.string(t.name);
    w.u32(t.dims.length);
    t.dims.forEach((d) => w.u64(d));
    w.u32(0); // F32
    w.u64(offset);
    offset += Math.ceil(t.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  w.pad();
  for (const t of list) {
    w.bytes(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    w.pad();
  }
  return w.result();
}

function writeValue(w: Writer, value: Value): void {
  switch (value.type) {
    case UINT32: return w.u32(value.value);
    case INT32: return w.i32(value.value);
    case FLOAT32: return w.f32(value.value);
    case BOOL: return w.bytes(Uint8Array.of(value.value ? 1 : 0));
    case STRING: return w.string(value.value);
    case ARRAY: {
      w.u32(value.of);
      w.u64(value.values.length);
      for (const v of value.values) {
        if (value.of === STRING) w.string(v as string);
        else if (value.of === INT32) w.i32(v as number);
        else w.f32(v as number);
      }
    }
  }
}
