import { useTranslation } from "react-i18next";
import { formatPercent } from "../../i18n/format.js";

/**
 * How well a song fits, next to the best song of the same answer: scores are only comparable
 * within one answer, so the best one fills the bar.
 */
export function ScoreBar({ score, best }: { score: number; best: number }) {
  const { t } = useTranslation();
  const share = best > 0 ? Math.min(1, Math.max(0, score / best)) : 0;
  const label = t("songs.match", { share: formatPercent(share) });
  return (
    <div className="score">
      <svg className="score-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label={label}>
        <rect className="score-track" x="0" y="0" width="100" height="6" rx="3" />
        <rect className="score-fill" x="0" y="0" width={Math.max(2, share * 100)} height="6" rx="3" />
      </svg>
      <span className="score-text" aria-hidden="true">
        {formatPercent(share)}
      </span>
    </div>
  );
}
