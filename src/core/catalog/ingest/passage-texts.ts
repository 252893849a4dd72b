/**
 * What is embedded for each passage: its own text, or, for a song in another language than the
 * one the embedding model reads, the passage's translation into that language when a translator
 * knows the pair. The built-in model reads English only: its vector of a Spanish verse is close
 * to noise, while its vector of the verse's translation sits beside English songs about the same
 * thing, so a prompt in either language finds the song (npm run eval measures it). The passage
 * keeps its own text for the full text and the snippet; a translation that fails leaves it as
 * written.
 */
import { modelLanguage } from "../../embedding-models.js";
import type { EmbeddingModel, Translator } from "../../ports.js";

export interface SongPassages {
  language: string | null;
  passages: readonly string[];
}

export interface PassageTextsDeps {
  model: EmbeddingModel;
  translator?: Translator | undefined;
}

export class PassageTexts {
  constructor(private readonly deps: PassageTextsDeps) {}

  /** The texts to embed for these songs' passages, in order, and how many are translations. */
  async of(songs: readonly SongPassages[]): Promise<{ texts: string[]; translated: number }> {
    const texts = songs.flatMap((s) => s.passages);
    const { model, translator } = this.deps;
    const target = modelLanguage(model);
    if (!translator || !target) return { texts, translated: 0 };
    // Where each language's passages stand among all of them.
    const byLanguage = new Map<string, number[]>();
    let at = 0;
    for (const song of songs) {
      const language = song.language;
      const own = language && language !== target && translator.pairs.includes(`${language}-${target}`);
      if (own) {
        const places = byLanguage.get(language) ?? [];
        song.passages.forEach((_, i) => places.push(at + i));
        byLanguage.set(language, places);
      }
      at += song.passages.length;
    }
    let translated = 0;
    for (const [language, places] of byLanguage) {
      const translations = await translator.translateAll(
        places.map((i) => texts[i]!),
        language,
        target,
      );
      if (!translations) continue;
      places.forEach((place, i) => {
        if (translations[i]) texts[place] = translations[i];
      });
      translated += places.length;
    }
    return { texts, translated };
  }
}
