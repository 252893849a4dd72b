/**
 * English and Spanish. The first visit follows the browser's language; a choice made in the
 * language menu is remembered in this browser and wins from then on.
 */
import i18next from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { en } from "./en.js";
import { es } from "./es.js";

export const languages = ["en", "es"] as const;
export type Language = (typeof languages)[number];

const storageKey = "verso.language";

export const resources = { en: { translation: en }, es: { translation: es } } as const;

export function currentLanguage(): Language {
  const resolved = i18next.resolvedLanguage;
  return languages.find((language) => language === resolved) ?? "en";
}

export async function chooseLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Storage may be off (private mode): the choice then lasts for this visit only.
  }
  await i18next.changeLanguage(language);
}

export function setUpI18n() {
  i18next.on("languageChanged", () => {
    document.documentElement.lang = currentLanguage();
  });
  void i18next
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources,
      supportedLngs: languages,
      nonExplicitSupportedLngs: true,
      load: "languageOnly",
      fallbackLng: "en",
      // Only an explicit choice is stored (chooseLanguage): detection alone remembers nothing.
      detection: { order: ["localStorage", "navigator"], lookupLocalStorage: storageKey, caches: [] },
      interpolation: { escapeValue: false },
      initAsync: false,
    });
  return i18next;
}
