/**
 * Where to listen to a song: links out to streaming services, as the API gives them (the song's
 * own page first, then searches), each opening in a new tab.
 */
import { useTranslation } from "react-i18next";
import type { Song } from "../../api/types.js";

/**
 * Only web addresses become links: a catalog source's link that says `javascript:` or anything
 * else is not followed.
 */
function isWebAddress(url: string): boolean {
  try {
    return ["https:", "http:"].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** The song's links that can be followed. */
export const listenLinksOf = (song: Pick<Song, "listen">) =>
  song.listen.filter((link) => isWebAddress(link.url));

export function ListenLinks({ song }: { song: Pick<Song, "title" | "listen"> }) {
  const { t } = useTranslation();
  const links = listenLinksOf(song);
  if (links.length === 0) return null;
  return (
    <ul className="listen-links">
      {links.map((link) => {
        const names = { title: song.title, service: link.service };
        return (
          <li key={`${link.kind} ${link.url}`}>
            <a
              href={link.url}
              target="_blank"
              rel="noopener noreferrer"
              aria-label={link.kind === "song" ? t("listen.on", names) : t("listen.searchOn", names)}
            >
              {link.kind === "song" ? link.service : t("listen.search", names)}
            </a>
          </li>
        );
      })}
    </ul>
  );
}
