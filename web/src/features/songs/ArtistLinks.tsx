import { Fragment } from "react";
import { Link } from "react-router";

export const artistPath = (name: string) => `/artists/${encodeURIComponent(name)}`;

/** A song's artists, each a link to their songs. */
export function ArtistLinks({ artists }: { artists: readonly string[] }) {
  return (
    <>
      {artists.map((artist, i) => (
        <Fragment key={artist}>
          {i > 0 && ", "}
          <Link to={artistPath(artist)}>{artist}</Link>
        </Fragment>
      ))}
    </>
  );
}
