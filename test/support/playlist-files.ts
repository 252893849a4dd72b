/**
 * Playlist files read back as a player reads them: M3U8 by its lines, XSPF as XML (a DOM
 * parsed by xmlbuilder2) after checking it against the XSPF 1 schema with Debian's xmllint (libxml2-utils).
 * The schema, schemas/xspf-1.rng, is written from the specification at https://xspf.org/spec.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { create } from "xmlbuilder2";

export const XSPF_SCHEMA = path.join(path.dirname(fileURLToPath(import.meta.url)), "schemas", "xspf-1.rng");

export interface M3u8Entry {
  seconds: number;
  name: string;
  location: string;
}

export interface M3u8File {
  header: string;
  /** The `#PLAYLIST:` line's value. */
  title: string | null;
  entries: M3u8Entry[];
}

/** Every `#EXTINF` line with the location line after it; fails on any line out of place. */
export function parseM3u8(text: string): M3u8File {
  const lines = text.split("\n");
  if (lines.at(-1) !== "") throw new Error("the file does not end with a line break");
  lines.pop();
  const [header = "", ...rest] = lines;
  let title: string | null = null;
  const entries: M3u8Entry[] = [];
  for (let i = 0; i < rest.length; i++) {
    const line = rest[i] ?? "";
    if (line.startsWith("#PLAYLIST:")) {
      title = line.slice("#PLAYLIST:".length);
      continue;
    }
    const info = /^#EXTINF:(-?\d+),(.*)$/.exec(line);
    const location = rest[i + 1];
    if (!info || location === undefined || location.startsWith("#") || location === "") {
      throw new Error(`line ${i + 2} is out of place: ${JSON.stringify(line)}`);
    }
    entries.push({ seconds: Number(info[1]), name: info[2] ?? "", location });
    i += 1;
  }
  return { header, title, entries };
}

/** xmllint's verdict on the text against the XSPF 1 schema: null when valid, else its words. */
export function xspfSchemaErrors(text: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "xmllint",
      ["--noout", "--nonet", "--relaxng", XSPF_SCHEMA, "-"],
      (error, _stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve(error ? stderr : null);
      },
    );
    child.stdin?.end(text);
  });
}

export interface XspfTrack {
  location: string[];
  title?: string;
  creator?: string;
  album?: string;
  /** Milliseconds, as the file writes them. */
  duration?: string;
}

export interface XspfFile {
  title?: string;
  creator?: string;
  tracks: XspfTrack[];
}

/** What these tests read of the parser's DOM elements (the W3C DOM's names). */
interface Element {
  namespaceURI: string | null;
  localName: string;
  children: Iterable<Element>;
  getElementsByTagNameNS(namespace: string, name: string): Iterable<Element>;
  textContent: string | null;
}

const XSPF = "http://xspf.org/ns/0/";

/** The text of the element's children of that name in the XSPF namespace. */
const childTexts = (element: Element, name: string): string[] =>
  [...element.children]
    .filter((child) => child.namespaceURI === XSPF && child.localName === name)
    .map((child) => child.textContent ?? "");

const optional = (element: Element, name: string) => {
  const [value] = childTexts(element, name);
  return value === undefined ? {} : { [name]: value };
};

/** The playlist's title, creator and tracks, read with xmlbuilder2's XML parser into a DOM. */
export function parseXspf(xml: string): XspfFile {
  const playlist = create(xml).root().node as unknown as Element;
  if (playlist.namespaceURI !== XSPF || playlist.localName !== "playlist")
    throw new Error("not an XSPF playlist");
  const tracks = [...playlist.getElementsByTagNameNS(XSPF, "track")].map((track) => ({
    location: childTexts(track, "location"),
    ...optional(track, "title"),
    ...optional(track, "creator"),
    ...optional(track, "album"),
    ...optional(track, "duration"),
  }));
  return { ...optional(playlist, "title"), ...optional(playlist, "creator"), tracks };
}
