/**
 * The mood or use a prompt names ("happy upbeat songs", "sad songs to cry to", "songs to dance
 * to"), as the audio features it asks for: lyrics say what a song is about, the features how it
 * sounds. A soft signal: it reorders the songs the other signals found, it never finds any.
 */
import type { AudioFeatures } from "../catalog/song.js";

type Feature = "valence" | "energy" | "danceability" | "acousticness";

/** A feature the prompt wants high (1) or low (0). */
export interface MoodTarget {
  feature: Feature;
  want: 0 | 1;
}

const high = (feature: Feature): MoodTarget => ({ feature, want: 1 });
const low = (feature: Feature): MoodTarget => ({ feature, want: 0 });

/** Word stems in English and Spanish, folded (no accents, lower case). */
const moods: { stems: string[]; targets: MoodTarget[] }[] = [
  {
    stems: ["happy", "happi", "cheer", "joy", "upbeat", "feel good", "feel-good", "alegr", "feliz", "animad"],
    targets: [high("valence"), high("energy")],
  },
  {
    stems: ["sad", "cry", "tears", "depress", "melanchol", "llor", "trist", "lagrim", "deprim"],
    targets: [low("valence")],
  },
  {
    stems: ["danc", "party", "parti", "club", "bail", "fiesta", "perre"],
    targets: [high("danceability"), high("energy")],
  },
  {
    stems: ["workout", "gym", "pump", "energetic", "hype", "entren"],
    targets: [high("energy")],
  },
  {
    stems: ["calm", "relax", "chill", "sleep", "quiet", "tranquil", "dormir", "relaj"],
    targets: [low("energy"), high("acousticness")],
  },
];

const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/** The features a prompt's mood words ask for; none when it names no mood. */
export function moodOf(prompt: string): MoodTarget[] {
  const words = fold(prompt).match(/[\p{L}-]+/gu) ?? [];
  const text = ` ${words.join(" ")} `;
  const targets = new Map<Feature, MoodTarget>();
  for (const mood of moods) {
    const named = mood.stems.some((stem) =>
      stem.includes(" ") ? text.includes(` ${stem} `) : words.some((w) => w.startsWith(stem)),
    );
    if (named) for (const target of mood.targets) targets.set(target.feature, target);
  }
  return [...targets.values()];
}

/** How well a song's features fit, 0..1; undefined when it has none of them. */
export function moodFit(features: AudioFeatures, targets: readonly MoodTarget[]): number | undefined {
  const fits = targets.flatMap(({ feature, want }) => {
    const value = features[feature];
    return value === null ? [] : [want === 1 ? value : 1 - value];
  });
  return fits.length === 0 ? undefined : fits.reduce((s, f) => s + f, 0) / fits.length;
}
