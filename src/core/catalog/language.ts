/**
 * A small guess at the language of lyrics when a layout has no language column: the share of
 * very common function words of each language. It only tells English from Spanish, the two
 * languages of the demo catalog; anything else stays unknown.
 */
const common: Record<string, Set<string>> = {
  en: new Set(
    "the and you i to a my me it in is of that your on we for be all don't i'm love with this".split(" "),
  ),
  es: new Set("el la de que y en yo tu mi me no un una los las por con es se te lo mas pero".split(" ")),
};

export function guessLanguage(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  if (words.length < 20) return null;
  let best: string | null = null;
  let bestShare = 0;
  for (const [language, set] of Object.entries(common)) {
    const share = words.filter((w) => set.has(w)).length / words.length;
    if (share > bestShare) [best, bestShare] = [language, share];
  }
  return bestShare >= 0.12 ? best : null;
}
