import type { Language } from "../../i18n/i18n.js";

/** Prompts to start from, chosen to show what asking by meaning can do with the demo catalog. */
export const suggestedPrompts: Record<Language, string[]> = {
  en: [
    "songs to dedicate to my mother",
    "top 5 songs about leaving home",
    "a rainy day and missing someone",
    "songs about the sea at night",
    "getting back up after losing everything",
    "dancing with friends until sunrise",
  ],
  es: [
    "canciones para dedicar a mi madre",
    "top 5 canciones sobre dejar mi tierra",
    "un día de lluvia extrañando a alguien",
    "canciones sobre el mar de noche",
    "levantarse después de perderlo todo",
    "bailar con amigos hasta el amanecer",
  ],
};
