/**
 * Playlists of answers: an ask, or a published prompt's songs, as a playlist. The songs are
 * those the search answers (the same cache, the same limits as the ask itself); a search that
 * cannot answer fails the playlist with its own error rather than giving an empty file.
 */
import type { Viewer } from "../accounts/user.js";
import type { AskRequest, SongSearch } from "../search/types.js";
import type { PromptView } from "../social/presenters.js";
import { playlistOf, type Playlist } from "./playlist.js";

/** A published prompt, seen by whoever asks (or PROMPT_NOT_FOUND), as its page sees it. */
export interface VisiblePrompts {
  visible(promptId: number, viewer: Viewer | null): Promise<PromptView>;
}

export interface PlaylistServiceDeps {
  search: SongSearch;
  prompts: VisiblePrompts;
}

export class PlaylistService {
  constructor(private readonly deps: PlaylistServiceDeps) {}

  /** The songs of an ask, titled by its prompt. */
  async ofAnswer(request: AskRequest): Promise<Playlist> {
    const answer = await this.deps.search.ask(request);
    return playlistOf(answer.prompt.trim(), null, answer.results);
  }

  /** The songs a published prompt finds, as its page shows them. */
  async ofPrompt(promptId: number, viewer: Viewer | null): Promise<Playlist> {
    const prompt = await this.deps.prompts.visible(promptId, viewer);
    const answer = await this.deps.search.ask({ prompt: prompt.text });
    return playlistOf(prompt.text, prompt.author.username, answer.results);
  }
}
