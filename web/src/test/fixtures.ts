/** API objects for component tests, typed by the server's own shapes. */
import type {
  AskResponse,
  AudioFeatures,
  CatalogObjectStatus,
  FeedItem,
  Prompt,
  Session,
  SongHit,
  User,
} from "../api/types.js";

export const user = (id: number, username: string): User => ({
  id,
  username,
  displayName: "",
  bio: "",
  createdAt: "2026-01-01T10:00:00.000Z",
});

export const prompt = (id: number, text: string, overrides: Partial<Prompt> = {}): Prompt => ({
  id,
  text,
  author: { id: 1, username: "ana" },
  createdAt: "2026-01-02T10:00:00.000Z",
  updatedAt: "2026-01-02T10:00:00.000Z",
  likeCount: 0,
  likedByMe: false,
  ...overrides,
});

export const feedItem = (
  p: Prompt,
  repostedBy: { id: number; username: string } | null = null,
): FeedItem => ({
  ...p,
  repostedBy,
  repostedAt: repostedBy ? "2026-01-03T10:00:00.000Z" : null,
});

/** The session as GET /api/session answers it. */
export const session = (signedIn: User | null, isAdmin = false): Session => ({ user: signedIn, isAdmin });

/** Audio features: these values, every other one unknown. */
export const features = (values: Partial<AudioFeatures>): AudioFeatures => ({
  danceability: null,
  energy: null,
  key: null,
  loudness: null,
  mode: null,
  speechiness: null,
  acousticness: null,
  instrumentalness: null,
  liveness: null,
  valence: null,
  tempo: null,
  durationMs: null,
  ...values,
});

/** A song of an answer; its passage is its second. */
export const songHit = (id: string, overrides: Partial<SongHit> = {}): SongHit => ({
  song: {
    id,
    title: `Song ${id}`,
    artists: ["The Testers"],
    album: null,
    genre: null,
    language: "en",
    releaseDate: null,
    features: features({}),
    listen: [{ service: "YouTube Music", kind: "search", url: `https://music.youtube.com/search?q=${id}` }],
  },
  score: 0.5,
  passage: { text: `a line of song ${id}`, ordinal: 1 },
  ...overrides,
});

/** An answer of POST /api/ask with these songs. */
export const answer = (
  prompt: string,
  results: SongHit[],
  overrides: Partial<AskResponse> = {},
): AskResponse => ({
  prompt,
  k: 10,
  fit: null,
  cached: false,
  catalogVersion: 1,
  reembedding: null,
  results,
  ...overrides,
});

/** A file of the catalog, done, with nothing to report; `values` set what a test cares about. */
export const catalogObject = (
  key: string,
  values: Partial<CatalogObjectStatus> = {},
): CatalogObjectStatus => ({
  id: 1,
  source: "file:///bucket",
  key,
  status: "done",
  size: 1000,
  progress: 1,
  songs: 0,
  passages: 0,
  reusedPassages: 0,
  skipped: 0,
  errors: 0,
  changed: 0,
  removed: 0,
  songsPerSecond: null,
  error: null,
  rowErrors: [],
  queuedAt: "2026-01-01T10:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  ...values,
});
