import { useTranslation } from "react-i18next";
import { formatPercent } from "../../i18n/format.js";

/**
 * How well a song fits. With a fit (`absolute`), the score is the song's expected grade, the
 * same on every prompt: 0 does not fit, 1 clearly fits, and the bar shows it as it is. Without
 * one, scores are only comparable within one answer, so the best song fills the bar.
 */
export function ScoreBar({ score, best, absolute }: { score: number; best: number; absolute: boolean }) {
  const { t } = useTranslation();
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const share = absolute ? clamp(score) : best > 0 ? clamp(score / best) : 0;
  const label = absolute
    ? t("songs.fit", { share: formatPercent(share) })
    : t("songs.match", { share: formatPercent(share) });
  return (
    <div className="score" data-scale={absolute ? "absolute" : "relative"}>
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
