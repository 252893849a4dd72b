import { useId } from "react";
import { useTranslation } from "react-i18next";
import { chooseLanguage, currentLanguage, languages, type Language } from "../i18n/i18n.js";

/** Each language is named in itself, so a reader finds theirs whatever the page's language. */
const names: Record<Language, string> = { en: "English", es: "Español" };

export function LanguageSwitch() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="language">
      <label htmlFor={id} className="visually-hidden">
        {t("layout.language")}
      </label>
      <select
        id={id}
        className="select"
        value={currentLanguage()}
        onChange={(event) => void chooseLanguage(event.target.value as Language)}
      >
        {languages.map((language) => (
          <option key={language} value={language} lang={language}>
            {names[language]}
          </option>
        ))}
      </select>
    </div>
  );
}
