import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSimilarSongs } from "../../api/songs.js";
import { Empty, ErrorState, Loading } from "../../ui/states.js";

export function SimilarSongs({ songId }: { songId: string }) {
  const { t } = useTranslation();
  const similar = useSimilarSongs(songId);
  if (similar.isPending) return <Loading label={t("songs.similarLoading")} />;
  if (similar.isError) return <ErrorState error={similar.error} onRetry={() => void similar.refetch()} />;
  if (similar.data.results.length === 0) return <Empty>{t("songs.noSimilar")}</Empty>;
  return (
    <ul className="similar">
      {similar.data.results.map((hit) => (
        <li key={hit.song.id}>
          <Link to={`/songs/${encodeURIComponent(hit.song.id)}`}>{hit.song.title}</Link>
          <span className="muted"> · {hit.song.artists.join(", ")}</span>
        </li>
      ))}
    </ul>
  );
}
