/** "Canción" → "cancion": words compared as the three dialects' full-text indexes fold them. */
export const foldWord = (word: string): string => word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
