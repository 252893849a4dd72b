/**
 * Real audio files for the music library's tests: a second of silence made by Debian's
 * `ffmpeg`, tagged by it, and for MP3 lyrics by `mid3v2` (python3-mutagen), which writes the
 * USLT frame players read (ffmpeg writes MP3 lyrics as a TXXX frame instead).
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type AudioFormat = "mp3" | "flac" | "ogg" | "m4a";

export interface TrackSpec {
  title: string;
  artist: string;
  album?: string;
  year?: number;
  genre?: string;
  /** Lyrics in the file's tags, written the way the format keeps them. */
  lyrics?: string;
  /** A MusicBrainz recording id, in the tag the format keeps it in. */
  musicBrainzTrackId?: string;
}

const codec: Record<AudioFormat, string[]> = {
  mp3: ["-c:a", "libmp3lame", "-b:a", "32k"],
  flac: ["-c:a", "flac"],
  ogg: ["-c:a", "libvorbis", "-q:a", "0"],
  m4a: ["-c:a", "aac", "-b:a", "32k"],
};

/** The tag names of the lyrics and MusicBrainz id ffmpeg writes in each container. */
function formatTags(format: AudioFormat, spec: TrackSpec): string[] {
  const tags: string[] = [];
  if (spec.lyrics !== undefined && format !== "mp3") {
    tags.push(
      `${format === "ogg" ? "UNSYNCEDLYRICS" : format === "flac" ? "LYRICS" : "lyrics"}=${spec.lyrics}`,
    );
  }
  if (spec.musicBrainzTrackId !== undefined) {
    // ffmpeg writes an unknown MP3 key as a TXXX frame of that description, as Picard does.
    tags.push(
      `${format === "mp3" ? "MusicBrainz Track Id" : "MUSICBRAINZ_TRACKID"}=${spec.musicBrainzTrackId}`,
    );
  }
  return tags;
}

/** Writes a one-second track of silence at `file` (its extension names the format), tagged as told. */
export async function makeTrack(file: string, spec: TrackSpec): Promise<void> {
  const format = path.extname(file).slice(1) as AudioFormat;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const metadata = [
    `title=${spec.title}`,
    `artist=${spec.artist}`,
    ...(spec.album ? [`album=${spec.album}`] : []),
    ...(spec.year ? [`date=${spec.year}`] : []),
    ...(spec.genre ? [`genre=${spec.genre}`] : []),
    ...formatTags(format, spec),
  ].flatMap((entry) => ["-metadata", entry]);
  await run("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-y"],
    ...["-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "1"],
    ...codec[format],
    ...metadata,
    file,
  ]);
  // mid3v2 reads "desc:text:lang", the text being everything between the first and last colon.
  if (format === "mp3" && spec.lyrics !== undefined) {
    await run("mid3v2", ["--USLT", `:${spec.lyrics}:eng`, file]);
  }
}
