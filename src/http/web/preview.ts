/**
 * What a shared link shows before anyone opens it: Open Graph and Twitter card tags with the
 * prompt and its first songs, written into the page served for `/?q=…` and `/prompts/:id`.
 * Link previews are made by crawlers that run no JavaScript, so the server writes them. A
 * preview never costs the page: a search that fails, is refused or takes too long leaves the
 * prompt alone (or, for a prompt that is not there, the page as it is built).
 */
import type { RequestLimits, RequestSubject } from "../../core/limits/request-limits.js";
import type { SongHit, SongSearch } from "../../core/search/types.js";
import type { PromptService } from "../../core/social/prompts.js";

export interface Preview {
  title: string;
  description: string;
}

/** Where previews come from; the api role builds them from its services. */
export interface PagePreviews {
  /**
   * `/?q=prompt`: the prompt and the first songs it finds; the prompt alone when the link also
   * narrows the answer (filters), whose songs the preview would not be.
   */
  answer(prompt: string, options: { asker: RequestSubject; songs: boolean }): Promise<Preview>;
  /** `/prompts/:id`: the published prompt, its author and its first songs; null when not there. */
  prompt(id: number): Promise<Preview | null>;
}

const SITE = "Verso";
const SONGS_SHOWN = 3;
const TITLE_LENGTH = 120;
/** A preview waits this long for its songs at most; the page is served without them after. */
export const PREVIEW_BUDGET_MS = 1500;

const shorten = (text: string, length: number) =>
  text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;

const quoted = (prompt: string) => `“${shorten(prompt.replace(/\s+/g, " ").trim(), TITLE_LENGTH)}”`;

function songsSentence(results: readonly SongHit[]): string {
  const songs = results
    .slice(0, SONGS_SHOWN)
    .map(({ song }) => (song.artists.length > 0 ? `${song.title} (${song.artists.join(", ")})` : song.title));
  return songs.length > 0
    ? `Songs whose lyrics fit: ${songs.join("; ")}.`
    : "Songs whose lyrics fit this prompt.";
}

const answerPreview = (prompt: string, results: readonly SongHit[]): Preview => ({
  title: `${quoted(prompt)} · ${SITE}`,
  description: songsSentence(results),
});

/** Previews from search and the published prompts; searches count against the asker's limit. */
export function pagePreviews(deps: {
  search: SongSearch;
  prompts: Pick<PromptService, "read">;
  limits: RequestLimits | null;
  budgetMs?: number;
}): PagePreviews {
  const budget = deps.budgetMs ?? PREVIEW_BUDGET_MS;
  const within = <T>(work: Promise<T>, fallback: T): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(fallback), budget);
    });
    return Promise.race([work.catch(() => fallback), late]).finally(() => clearTimeout(timer));
  };
  return {
    async answer(prompt, { asker, songs }) {
      if (!songs) return answerPreview(prompt, []);
      const found = async () => {
        await deps.limits?.admit("search", asker);
        return (await deps.search.ask({ prompt })).results;
      };
      return answerPreview(prompt, await within(found(), []));
    },
    async prompt(id) {
      const read = await within(
        deps.prompts.read(id, null).then(
          (found) => found,
          () => null,
        ),
        null,
      );
      if (!read) return null;
      return {
        title: `${quoted(read.prompt.text)} — @${read.prompt.author.username} · ${SITE}`,
        description: songsSentence(read.results),
      };
    },
  };
}

/** Text for an HTML attribute or element: the five characters that could end it, escaped. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * The built page with the preview's title, description and card tags in its head: the
 * `<title>` and description of the build are replaced, the rest is added before `</head>`.
 */
export function withPreview(page: string, preview: Preview): string {
  const title = escapeHtml(preview.title);
  const description = escapeHtml(preview.description);
  const tags = [
    `<meta property="og:type" content="website" />`,
    `<meta property="og:site_name" content="${SITE}" />`,
    `<meta property="og:title" content="${title}" />`,
    `<meta property="og:description" content="${description}" />`,
    `<meta name="twitter:card" content="summary" />`,
    `<meta name="twitter:title" content="${title}" />`,
    `<meta name="twitter:description" content="${description}" />`,
  ].join("\n    ");
  return page
    .replace(/<title>[^<]*<\/title>/, () => `<title>${title}</title>`)
    .replace(/<meta name="description"[^>]*>/, () => `<meta name="description" content="${description}" />`)
    .replace("</head>", () => `    ${tags}\n  </head>`);
}
