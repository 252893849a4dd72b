/** Distinct prompts for latency and recall measurements: what people would type. */
const subjects = [
  "the ocean",
  "my mother",
  "my father",
  "leaving home",
  "missing my hometown",
  "a summer road trip",
  "heartbreak after a breakup",
  "falling in love for the first time",
  "losing a friend",
  "growing old together",
  "partying all night",
  "working hard for little money",
  "getting rich",
  "praying for strength",
  "rain and sadness",
  "winter nights",
  "christmas with family",
  "protest and justice",
  "feeling lonely",
  "never giving up",
  "childhood memories",
  "a toxic relationship",
  "jealousy",
  "dancing in the kitchen",
  "the city at night",
  "soldiers coming home",
  "addiction and recovery",
  "a wedding day",
  "teenage rebellion",
  "the stars and the night sky",
];
const templates = ["songs about {}", "{}", "music for {}", "lyrics that talk about {}", "a song for {}"];

export const benchPrompts: string[] = templates.flatMap((template) =>
  subjects.map((s) => template.replace("{}", s)),
);
