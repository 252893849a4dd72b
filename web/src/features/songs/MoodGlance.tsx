import { useTranslation } from "react-i18next";
import type { AudioFeatures } from "../../api/types.js";
import { moodOf, type MoodReading } from "./mood.js";

const SEGMENTS = 5;

/** Five pips, filled to the song's level: readable at a glance, and never a bare number. */
function Pips({ reading }: { reading: MoodReading }) {
  const filled = Math.max(1, Math.round(reading.share * SEGMENTS));
  return (
    <svg
      className="mood-pips"
      viewBox={`0 0 ${SEGMENTS * 8} 8`}
      width={SEGMENTS * 8}
      height={8}
      aria-hidden="true"
    >
      {Array.from({ length: SEGMENTS }, (_, i) => (
        <rect
          key={i}
          x={i * 8}
          y={0}
          width={6}
          height={8}
          rx={1.5}
          className={i < filled ? "pip-on" : "pip-off"}
        />
      ))}
    </svg>
  );
}

export function MoodGlance({ features }: { features: AudioFeatures | null | undefined }) {
  const { t } = useTranslation();
  const readings = moodOf(features);
  if (readings.length === 0) return null;
  return (
    <ul className="mood" aria-label={t("mood.label")}>
      {readings.map((reading) => {
        const word = t(`mood.${reading.dimension}.${reading.level}`);
        const name = t(`mood.${reading.dimension}.name`);
        return (
          <li
            key={reading.dimension}
            className={`mood-item mood-${reading.dimension}`}
            data-level={reading.level}
          >
            <span className="mood-name">{name}</span>
            <Pips reading={reading} />
            <span className="mood-word">
              {word}
              {reading.bpm !== undefined && (
                <span className="mood-bpm"> · {t("mood.bpm", { bpm: reading.bpm })}</span>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
