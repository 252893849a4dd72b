import { highlight } from "./highlight.js";

/** The text with the words that answer the prompt marked. */
export function Highlighted({
  text,
  terms,
  language,
}: {
  text: string;
  terms: ReadonlySet<string>;
  language?: string | null;
}) {
  return (
    <>
      {highlight(text, terms, language).map((segment, i) =>
        segment.match ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>,
      )}
    </>
  );
}
