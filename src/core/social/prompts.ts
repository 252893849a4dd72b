import type { Clock, Viewer } from "../accounts/user.js";
import { isVersoError, VersoError, type ErrorCode } from "../errors.js";
import type { SongHit, SongSearch } from "../search/types.js";
import { cursorCodec, pageOf, type Page } from "./cursor.js";
import { findUserOrFail, type UserLookup } from "./find-user.js";
import { likeReposts, mayDeletePrompt, mayEditPrompt } from "./policies.js";
import { presentPrompt, type PromptView } from "./presenters.js";
import { parsePromptText, type Prompt } from "./prompt.js";
import type { PromptMeaning } from "./prompt-meaning.js";
import { promptSearchTerms } from "./search-terms.js";
import type { PromptStore } from "./store.js";

export interface PromptServiceDeps {
  prompts: PromptStore;
  users: UserLookup;
  search: SongSearch;
  clock: Clock;
  /** Finds prompts by meaning as well as by their words; without it, by their words alone. */
  meaning?: PromptMeaning;
}

export interface PromptWithSongs {
  prompt: PromptView;
  results: SongHit[];
  /** Why there are no results when search could not answer (catalog loading, say); else null. */
  resultsError: { code: ErrorCode; message: string } | null;
}

export interface ListOptions {
  cursor?: string;
  limit: number;
}

const newestCodec = cursorCodec("prompts", ["integer"]);
const authorCodec = cursorCodec("user-prompts", ["integer"]);
const searchCodec = cursorCodec("prompt-search", ["number", "integer"]);

/** Publishing, reading, editing, deleting, liking and searching prompts. */
export class PromptService {
  constructor(private readonly deps: PromptServiceDeps) {}

  async publish(viewer: Viewer, rawText: string): Promise<PromptView> {
    const text = parsePromptText(rawText);
    const id = await this.deps.prompts.create({ authorId: viewer.user.id, text, now: this.now() });
    return presentPrompt(await this.remembered(await this.findOrFail(id, viewer)));
  }

  /** The prompt, when the viewer may see it (else PROMPT_NOT_FOUND): what its page shows first. */
  async visible(promptId: number, viewer: Viewer | null): Promise<PromptView> {
    return presentPrompt(await this.findOrFail(promptId, viewer));
  }

  /** The prompt with the songs it finds; the search service caches those answers. */
  async read(promptId: number, viewer: Viewer | null): Promise<PromptWithSongs> {
    const prompt = await this.findOrFail(promptId, viewer);
    try {
      const answer = await this.deps.search.ask({ prompt: prompt.text });
      return { prompt: presentPrompt(prompt), results: answer.results, resultsError: null };
    } catch (error) {
      // A prompt stays readable while the catalog loads or the embedder is down; only a bug
      // (an unexpected error) surfaces as a failure.
      if (!isVersoError(error) || error.kind === "internal") throw error;
      return {
        prompt: presentPrompt(prompt),
        results: [],
        resultsError: { code: error.code, message: error.message },
      };
    }
  }

  async edit(viewer: Viewer, promptId: number, rawText: string): Promise<PromptView> {
    const prompt = await this.findOrFail(promptId, viewer);
    if (!mayEditPrompt(viewer, prompt)) throw notOwner();
    const text = parsePromptText(rawText);
    await this.deps.prompts.updateText(promptId, text, this.now());
    return presentPrompt(await this.remembered(await this.findOrFail(promptId, viewer)));
  }

  async remove(viewer: Viewer, promptId: number): Promise<void> {
    const prompt = await this.findOrFail(promptId, viewer);
    if (!mayDeletePrompt(viewer, prompt)) throw notOwner();
    await this.deps.prompts.delete(promptId);
  }

  /** Idempotent: liking twice is one like. */
  async like(viewer: Viewer, promptId: number): Promise<PromptView> {
    const prompt = await this.findOrFail(promptId, viewer);
    const outcome = await this.deps.prompts.like({
      userId: viewer.user.id,
      promptId,
      now: this.now(),
      repost: likeReposts(viewer, prompt),
    });
    if (outcome === "missing") throw promptNotFound(promptId);
    return presentPrompt(await this.findOrFail(promptId, viewer));
  }

  /** Idempotent: unliking what I never liked changes nothing. */
  async unlike(viewer: Viewer, promptId: number): Promise<PromptView> {
    await this.findOrFail(promptId, viewer);
    const outcome = await this.deps.prompts.unlike({ userId: viewer.user.id, promptId });
    if (outcome === "missing") throw promptNotFound(promptId);
    return presentPrompt(await this.findOrFail(promptId, viewer));
  }

  /** With words, the best matches first; without, the newest prompts of everyone. */
  async list(query: { q?: string } & ListOptions, viewer: Viewer | null): Promise<Page<PromptView>> {
    const viewerId = viewer?.user.id ?? null;
    if (query.q === undefined || query.q.trim() === "") {
      const beforeId = query.cursor === undefined ? null : newestCodec.decode(query.cursor)[0];
      const rows = await this.deps.prompts.listNewest({ viewerId, beforeId, limit: query.limit + 1 });
      return pageOf(rows, query.limit, newestCodec, (p) => [p.id], presentPrompt);
    }
    const after = query.cursor === undefined ? null : searchCodec.decode(query.cursor);
    const terms = promptSearchTerms(query.q);
    if (terms.length === 0) return { items: [], nextCursor: null };
    const afterKey = after && { score: after[0], id: after[1] };
    const { meaning } = this.deps;
    const rows = meaning
      ? await this.deps.prompts.withPrompts(
          await meaning.rank({ text: query.q, terms, after: afterKey, limit: query.limit + 1 }),
          viewerId,
        )
      : await this.deps.prompts.search({ terms, viewerId, after: afterKey, limit: query.limit + 1 });
    return pageOf(
      rows,
      query.limit,
      searchCodec,
      (row) => [row.score, row.prompt.id],
      (row) => presentPrompt(row.prompt),
    );
  }

  async listByAuthor(
    username: string,
    options: ListOptions,
    viewer: Viewer | null,
  ): Promise<Page<PromptView>> {
    const beforeId = options.cursor === undefined ? null : authorCodec.decode(options.cursor)[0];
    const author = await findUserOrFail(this.deps.users, username);
    const rows = await this.deps.prompts.listNewest({
      authorId: author.id,
      viewerId: viewer?.user.id ?? null,
      beforeId,
      limit: options.limit + 1,
    });
    return pageOf(rows, options.limit, authorCodec, (p) => [p.id], presentPrompt);
  }

  private async findOrFail(promptId: number, viewer: Viewer | null): Promise<Prompt> {
    const prompt = await this.deps.prompts.find(promptId, viewer?.user.id ?? null);
    if (!prompt) throw promptNotFound(promptId);
    return prompt;
  }

  /** The prompt, once its text has its vector (when prompts are found by meaning). */
  private async remembered(prompt: Prompt): Promise<Prompt> {
    await this.deps.meaning?.remember([
      { promptId: prompt.id, text: prompt.text, updatedAt: prompt.updatedAt },
    ]);
    return prompt;
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

const promptNotFound = (promptId: number): VersoError =>
  new VersoError("PROMPT_NOT_FOUND", `no prompt ${promptId}`);

const notOwner = (): VersoError =>
  new VersoError("NOT_OWNER", "only its author may change or delete a prompt");
