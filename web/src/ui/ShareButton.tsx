/**
 * Shares a link: the system's share sheet where the browser has one (phones), else the link is
 * copied. Either way the button says what happened, and where neither works the link is shown
 * selected, to copy by hand.
 */
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";

type Outcome = "shared" | "copied" | "manual" | null;

const canShare = () => typeof navigator !== "undefined" && typeof navigator.share === "function";

export function ShareButton({ url, title, what }: { url: string; title: string; what: string }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const manualId = useId();
  const share = canShare();
  useEffect(() => setOutcome(null), [url]);

  const act = async () => {
    setOutcome(null);
    if (share) {
      try {
        await navigator.share({ title, url });
        setOutcome("shared");
        return;
      } catch (error) {
        // Closing the share sheet is a choice, not a failure.
        if (error instanceof DOMException && error.name === "AbortError") return;
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setOutcome("copied");
    } catch {
      setOutcome("manual");
    }
  };

  return (
    <div className="share">
      <button
        type="button"
        className="button"
        aria-label={share ? t("share.shareLabel", { what }) : t("share.copyLabel", { what })}
        onClick={() => void act()}
      >
        {share ? t("share.share") : t("share.copy")}
      </button>
      <p className="share-outcome" role="status">
        {outcome === "copied" ? t("share.copied") : outcome === "shared" ? t("share.shared") : null}
      </p>
      {outcome === "manual" && (
        <p className="share-manual">
          <label htmlFor={manualId}>{t("share.manual")}</label>{" "}
          <input
            id={manualId}
            className="input"
            readOnly
            value={url}
            autoFocus
            onFocus={(event) => event.currentTarget.select()}
          />
        </p>
      )}
    </div>
  );
}
