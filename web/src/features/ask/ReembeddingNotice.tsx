import { useTranslation } from "react-i18next";
import type { AskResponse } from "../../api/types.js";
import { formatNumber } from "../../i18n/format.js";

/**
 * Said above an answer while the catalog moves to a new embedding model: search reads the new
 * model's vectors only, so the songs not re-embedded yet cannot be in the answer.
 */
export function ReembeddingNotice({ reembedding }: { reembedding: AskResponse["reembedding"] | undefined }) {
  const { t } = useTranslation();
  if (!reembedding) return null;
  return (
    <p className="banner banner-warning reembedding-notice">
      {t("ask.reembedding", {
        done: formatNumber(reembedding.done),
        total: formatNumber(reembedding.total),
      })}
    </p>
  );
}
