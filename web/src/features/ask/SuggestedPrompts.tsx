import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { currentLanguage } from "../../i18n/i18n.js";
import { suggestedPrompts } from "./suggestions.js";

export function SuggestedPrompts() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="suggested-title" className="suggested">
      <h2 id="suggested-title">{t("ask.suggestedTitle")}</h2>
      <ul className="chips">
        {suggestedPrompts[currentLanguage()].map((prompt) => (
          <li key={prompt}>
            <Link className="chip" to={`/?q=${encodeURIComponent(prompt)}`}>
              {prompt}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
